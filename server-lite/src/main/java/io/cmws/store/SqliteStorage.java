package io.cmws.store;

import io.cmws.hub.Epochs;
import io.cmws.hub.HubStorage;
import io.cmws.protocol.EventMessage;
import io.cmws.tasks.InMemoryTaskQueue;
import io.cmws.tasks.TaskJournal;
import io.cmws.tasks.TaskQueue;
import io.cmws.tasks.TasksConfig;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks in memory, journaled to SQLite under the data directory, and channel history persisted
 * there too (unless switched off): what a hub of its own keeps across restarts.
 */
public final class SqliteStorage implements HubStorage {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStorage.class);

  private final SqliteStore store;
  private final InMemoryTaskQueue queue;
  private final List<KeptChannel> channels;
  private final SeqReservations reservations;
  private final boolean persistHistory;

  private SqliteStorage(
      SqliteStore store,
      InMemoryTaskQueue queue,
      List<KeptChannel> channels,
      boolean persistHistory) {
    this.store = store;
    this.queue = queue;
    this.channels = channels;
    this.reservations = new SeqReservations(store);
    this.persistHistory = persistHistory;
  }

  /** Opens the store and restores its tasks; tasks that were running wait again. */
  public static SqliteStorage open(
      StoreOptions options, TasksConfig tasks, int historySize, long nowMillis) throws IOException {
    SqliteStore store = SqliteStore.open(options, historySize, Epochs.fresh(), nowMillis);
    try {
      InMemoryTaskQueue queue =
          new InMemoryTaskQueue(tasks.defaults(), tasks.maxWaiting(), tasks.maxFinished());
      queue.journal(store);
      int requeued = queue.restore(store.loadTasks(), nowMillis);
      if (requeued > 0) {
        LOG.info("requeued {} tasks that were running when the hub stopped", requeued);
      }
      return new SqliteStorage(store, queue, store.loadChannels(), options.persistHistory());
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  @Override
  public TaskQueue queue() {
    return queue;
  }

  @Override
  public TaskJournal journal() {
    return store;
  }

  @Override
  public String kind() {
    return "sqlite";
  }

  @Override
  public String epoch() {
    return store.epoch();
  }

  @Override
  public List<KeptChannel> channels() {
    return channels;
  }

  /** Only kept history needs its seq numbers to survive a crash. */
  @Override
  public void reserve(String channel, long seq) {
    if (persistHistory) {
      reservations.reserve(channel, seq);
    }
  }

  @Override
  public void published(EventMessage event) {
    store.appendEvent(event);
  }

  @Override
  public String unavailable() {
    return store.overloaded();
  }

  @Override
  public void pruneFinishedBefore(long cutoffMillis) {
    queue.prune(cutoffMillis);
    store.pruneFinishedBefore(cutoffMillis);
  }

  @Override
  public void close() {
    store.close();
  }
}
