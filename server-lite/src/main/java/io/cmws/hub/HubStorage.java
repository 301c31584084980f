package io.cmws.hub;

import io.cmws.protocol.EventMessage;
import io.cmws.tasks.TaskJournal;
import io.cmws.tasks.TaskQueue;
import io.cmws.tasks.TaskSignals;
import io.cmws.tasks.TasksConfig;
import java.util.List;
import java.util.Optional;

/**
 * Where a hub keeps its tasks and channel history: in memory, in SQLite under a data directory, or
 * shared with other hubs through Redis. One is chosen when the hub starts and closed after it.
 */
public interface HubStorage extends AutoCloseable {

  /**
   * A channel's seq counter, kept events (oldest first) and the seq ranges crashes of the hub may
   * have lost, as found at startup.
   */
  record KeptChannel(
      String channel, long lastSeq, List<EventMessage> events, List<LostRange> lost) {
    public KeptChannel(String channel, long lastSeq, List<EventMessage> events) {
      this(channel, lastSeq, events, List.of());
    }
  }

  /** Nothing survives the process: {@code --ephemeral}, and tests. */
  static HubStorage inMemory(TasksConfig tasks) {
    return new MemoryStorage(tasks);
  }

  TaskQueue queue();

  /** What makes a submission durable before it is acknowledged. */
  default TaskJournal journal() {
    return TaskJournal.NONE;
  }

  /** The history epoch: seq numbers are comparable only within one. */
  String epoch();

  /** What keeps the hub's state, for status displays: memory, sqlite or redis. */
  default String kind() {
    return "memory";
  }

  /** The channels to restore at startup. */
  default List<KeptChannel> channels() {
    return List.of();
  }

  /**
   * Returns once {@code seq} of {@code channel} is reserved durably, so that no crash can make the
   * hub hand it out a second time. Called under the channel's lock before the seq is taken; blocks
   * only while a reservation is on its way to the disk. Throws {@link StoreUnavailableException} if
   * it cannot be made.
   */
  default void reserve(String channel, long seq) {}

  /**
   * Keeps a published event. Called under the event's channel lock, on the publishing thread; must
   * not block.
   */
  default void published(EventMessage event) {}

  /** Null while publishes and submissions can be taken; else why not, for clients and /health. */
  default String unavailable() {
    return null;
  }

  /** With several hubs sharing channels: the bus that numbers and spreads every event. */
  default Optional<EventBus> bus() {
    return Optional.empty();
  }

  /** How the dispatchers of hubs sharing one queue tell each other about it. */
  default TaskSignals signals() {
    return TaskSignals.NONE;
  }

  /** Forgets tasks that finished before {@code cutoffMillis}; called from the hub's timer. */
  void pruneFinishedBefore(long cutoffMillis);

  /** After the hub: every change it made is kept (or, in memory, let go). */
  @Override
  void close();
}
