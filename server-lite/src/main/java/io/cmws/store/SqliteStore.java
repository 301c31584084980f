package io.cmws.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cmws.hub.HubStorage;
import io.cmws.hub.LostRange;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.Json;
import io.cmws.tasks.StoredTask;
import io.cmws.tasks.Task;
import io.cmws.tasks.TaskJournal;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks and channel history in SQLite under the data directory. Changes are handed to one writer
 * thread that commits them in groups (group commit): one transaction per batch of whatever has
 * queued up, then the acknowledgements waiting on that batch go out. A file lock keeps a second hub
 * off the same directory.
 */
public final class SqliteStore implements TaskJournal, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
  private static final int MAX_BATCH = 20_000;
  static final int MAX_BACKLOG = 200_000;

  private final Connection db;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final StoreOptions options;
  private final int historySize;
  private final String epoch;
  private final BlockingQueue<Object> pending = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closing;

  private record Barrier(Runnable onDurable, Consumer<Exception> onFailure) {}

  private record Prune(long finishedBefore) {}

  /** Seq numbers of a channel up to {@code until} may be handed out once this is committed. */
  private record Reserve(
      String channel, long until, Runnable onDurable, Consumer<Exception> onFailure) {}

  private static final Object STOP = new Object();

  private SqliteStore(
      Connection db,
      FileChannel lockChannel,
      FileLock lock,
      StoreOptions options,
      int historySize,
      String epoch) {
    this.db = db;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.options = options;
    this.historySize = historySize;
    this.epoch = epoch;
    this.writer = new Thread(this::writeLoop, "cmws-store-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** Opens (or creates) the store in {@code options.dataDir()}; fails if another hub holds it. */
  public static SqliteStore open(
      StoreOptions options, int historySize, String freshEpoch, long nowMillis) throws IOException {
    Path dir = options.dataDir();
    Files.createDirectories(dir);
    FileChannel lockChannel =
        FileChannel.open(
            dir.resolve("hub.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very process
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException(
          "another cmws hub is using " + dir + " (give each hub its own --data-dir)");
    }
    try {
      Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hub.db"));
      String epoch = SqliteSchema.prepare(db, options, freshEpoch, nowMillis);
      return new SqliteStore(db, lockChannel, lock, options, historySize, epoch);
    } catch (SQLException e) {
      lock.release();
      lockChannel.close();
      throw new IOException("cannot open the store in " + dir + ": " + e.getMessage(), e);
    }
  }

  public String epoch() {
    return epoch;
  }

  /** Every stored task, as the queue left it. */
  public synchronized List<StoredTask> loadTasks() throws IOException {
    List<StoredTask> tasks = new ArrayList<>();
    try (Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery("SELECT body FROM tasks ORDER BY seq")) {
      while (rows.next()) {
        tasks.add(StoredTask.fromJson(Json.parse(rows.getString(1))));
      }
      return tasks;
    } catch (SQLException | JsonProcessingException e) {
      throw new IOException("cannot read stored tasks: " + e.getMessage(), e);
    }
  }

  /** The kept channels: their seq counters and last events, oldest first. */
  public synchronized List<HubStorage.KeptChannel> loadChannels() throws IOException {
    Map<String, Long> lastSeq = new LinkedHashMap<>();
    Map<String, List<EventMessage>> events = new LinkedHashMap<>();
    Map<String, List<LostRange>> lost = new LinkedHashMap<>();
    try (Statement statement = db.createStatement()) {
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT channel, from_seq, to_seq, at_ms FROM lost_seqs ORDER BY channel, from_seq")) {
        while (rows.next()) {
          lost.computeIfAbsent(rows.getString(1), c -> new ArrayList<>())
              .add(new LostRange(rows.getLong(2), rows.getLong(3), rows.getLong(4)));
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT channel, last_seq FROM channels")) {
        while (rows.next()) {
          lastSeq.put(rows.getString(1), rows.getLong(2));
        }
      }
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT channel, seq, ts, data FROM events ORDER BY channel, seq")) {
        while (rows.next()) {
          events
              .computeIfAbsent(rows.getString(1), c -> new ArrayList<>())
              .add(
                  new EventMessage(
                      rows.getString(1),
                      Json.parse(rows.getString(4)),
                      rows.getString(4), // replayed as it was published
                      rows.getLong(3),
                      rows.getLong(2),
                      List.of()));
        }
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new IOException("cannot read stored history: " + e.getMessage(), e);
    }
    List<HubStorage.KeptChannel> kept = new ArrayList<>();
    lastSeq.forEach(
        (channel, seq) ->
            kept.add(
                new HubStorage.KeptChannel(
                    channel,
                    seq,
                    events.getOrDefault(channel, List.of()),
                    lost.getOrDefault(channel, List.of()))));
    return kept;
  }

  @Override
  public void record(StoredTask task) {
    pending.add(task);
  }

  /**
   * Records durably that {@code channel} may hand out seq numbers up to {@code until}; {@code
   * onDurable} runs once it is committed (on the writer thread).
   */
  public void reserve(
      String channel, long until, Runnable onDurable, Consumer<Exception> onFailure) {
    if (closing) {
      onFailure.accept(new IOException("the store is closing"));
      return;
    }
    pending.add(new Reserve(channel, until, onDurable, onFailure));
  }

  /** Whether the calling thread is the one that commits (it must never wait for a commit). */
  public boolean isWriterThread() {
    return Thread.currentThread() == writer;
  }

  /** Persists a published event (history), if history is persisted. */
  public void appendEvent(EventMessage event) {
    if (options.persistHistory()) {
      pending.add(event);
    }
  }

  @Override
  public void whenDurable(Runnable onDurable, Consumer<Exception> onFailure) {
    if (closing) {
      onFailure.accept(new IOException("the store is closing"));
      return;
    }
    pending.add(new Barrier(onDurable, onFailure));
  }

  /** Deletes tasks that finished before {@code cutoff} (epoch ms). */
  public void pruneFinishedBefore(long cutoff) {
    pending.add(new Prune(cutoff));
  }

  /**
   * Null, or why the hub should refuse new publishes and submissions for now: the writer is further
   * behind than {@link #MAX_BACKLOG} changes, and memory would grow without bound.
   */
  public String overloaded() {
    int backlog = pending.size();
    return backlog <= MAX_BACKLOG
        ? null
        : "the store is behind: " + backlog + " changes wait to be written to disk; retry shortly";
  }

  /** Changes handed over but not yet committed. */
  public int backlog() {
    return pending.size();
  }

  private void writeLoop() {
    List<Object> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(pending.take());
      } catch (InterruptedException e) {
        return;
      }
      pending.drainTo(batch, MAX_BATCH);
      boolean stop = batch.remove(STOP);
      commit(batch);
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  private void commit(List<Object> batch) {
    Map<String, StoredTask> tasks = new LinkedHashMap<>();
    List<EventMessage> events = new ArrayList<>();
    List<Barrier> barriers = new ArrayList<>();
    List<Long> prunes = new ArrayList<>();
    List<Reserve> reserves = new ArrayList<>();
    for (Object item : batch) {
      if (item instanceof StoredTask task) {
        tasks.put(task.task().id(), task); // only the latest state of a task per batch is written
      } else if (item instanceof EventMessage event) {
        events.add(event);
      } else if (item instanceof Barrier barrier) {
        barriers.add(barrier);
      } else if (item instanceof Prune prune) {
        prunes.add(prune.finishedBefore());
      } else if (item instanceof Reserve reserve) {
        reserves.add(reserve);
      }
    }
    try {
      writeReservations(reserves);
      writeTasks(tasks.values());
      writeEvents(events);
      for (long cutoff : prunes) {
        try (PreparedStatement delete =
            db.prepareStatement("DELETE FROM tasks WHERE finished_at < ?")) {
          delete.setLong(1, cutoff);
          delete.executeUpdate();
        }
      }
      db.commit();
    } catch (SQLException | JsonProcessingException | RuntimeException e) {
      LOG.error("store commit of {} changes failed", batch.size(), e);
      try {
        db.rollback();
      } catch (SQLException rollback) {
        LOG.error("store rollback failed", rollback);
      }
      Exception failure = e;
      barriers.forEach(barrier -> runQuietly(() -> barrier.onFailure().accept(failure)));
      reserves.forEach(reserve -> runQuietly(() -> reserve.onFailure().accept(failure)));
      return;
    }
    reserves.forEach(reserve -> runQuietly(reserve.onDurable()));
    barriers.forEach(barrier -> runQuietly(barrier.onDurable()));
  }

  private void writeReservations(List<Reserve> reserves) throws SQLException {
    if (reserves.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert =
        db.prepareStatement(
            "INSERT INTO channels (channel, last_seq, reserved) VALUES (?, 0, ?)"
                + " ON CONFLICT(channel) DO UPDATE SET reserved = max(reserved, excluded.reserved)")) {
      for (Reserve reserve : reserves) {
        upsert.setString(1, reserve.channel());
        upsert.setLong(2, reserve.until());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  private void writeTasks(Iterable<StoredTask> tasks) throws SQLException, JsonProcessingException {
    try (PreparedStatement upsert =
        db.prepareStatement(
            "INSERT OR REPLACE INTO tasks (id, seq, finished_at, body) VALUES (?, ?, ?, ?)")) {
      for (StoredTask stored : tasks) {
        Task task = stored.task();
        upsert.setString(1, task.id());
        upsert.setLong(2, stored.seq());
        if (stored.isFinished() && task.completedAt() != null) {
          upsert.setLong(3, task.completedAt());
        } else {
          upsert.setNull(3, Types.INTEGER);
        }
        upsert.setString(4, Json.write(stored.toJson()));
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  private void writeEvents(List<EventMessage> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    Map<String, Long> lastSeq = new LinkedHashMap<>();
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT OR REPLACE INTO events (channel, seq, ts, data) VALUES (?, ?, ?, ?)")) {
      for (EventMessage event : events) {
        if (historySize > 0) {
          insert.setString(1, event.channel());
          insert.setLong(2, event.seq());
          insert.setLong(3, event.timestamp());
          insert.setString(4, event.dataJson());
          insert.addBatch();
        }
        lastSeq.merge(event.channel(), event.seq(), Math::max);
      }
      insert.executeBatch();
    }
    try (PreparedStatement counter =
            db.prepareStatement(
                "INSERT INTO channels (channel, last_seq) VALUES (?, ?)"
                    + " ON CONFLICT(channel) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)");
        PreparedStatement trim =
            db.prepareStatement("DELETE FROM events WHERE channel = ? AND seq <= ?")) {
      for (Map.Entry<String, Long> channel : lastSeq.entrySet()) {
        counter.setString(1, channel.getKey());
        counter.setLong(2, channel.getValue());
        counter.addBatch();
        trim.setString(1, channel.getKey());
        trim.setLong(2, channel.getValue() - historySize);
        trim.addBatch();
      }
      counter.executeBatch();
      trim.executeBatch();
    }
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("acknowledgement after commit failed", e);
    }
  }

  /** Commits what is pending, then closes. */
  @Override
  public void close() {
    closing = true;
    pending.add(STOP);
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      SqliteSchema.setMeta(db, "clean", "true");
      db.commit();
      db.close();
      lock.release();
      lockChannel.close();
    } catch (SQLException | IOException e) {
      LOG.warn("closing the store", e);
    }
  }
}
