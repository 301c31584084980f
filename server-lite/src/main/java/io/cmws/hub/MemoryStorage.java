package io.cmws.hub;

import io.cmws.tasks.TaskQueue;
import io.cmws.tasks.TasksConfig;

/** Tasks in an in-memory queue, history in the router only: nothing outlives the process. */
final class MemoryStorage implements HubStorage {
  private final TaskQueue queue;
  private final String epoch = Epochs.fresh();

  MemoryStorage(TasksConfig tasks) {
    this.queue = tasks.newQueue();
  }

  @Override
  public TaskQueue queue() {
    return queue;
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public void pruneFinishedBefore(long cutoffMillis) {
    queue.prune(cutoffMillis);
  }

  @Override
  public void close() {
    // nothing is kept
  }
}
