package io.cmws.tasks;

/**
 * What the dispatchers of several hubs sharing one task queue tell each other. A hub of its own has
 * nobody to tell ({@link #NONE}). Signals are sent from the dispatcher while it holds its lock:
 * implementations hand them over and never block.
 */
public interface TaskSignals {
  TaskSignals NONE =
      new TaskSignals() {
        @Override
        public void waiting() {}

        @Override
        public void finished(String taskId) {}

        @Override
        public void takenAway(String taskId, String workerId, int attempt, String reason) {}
      };

  /** Tasks may be waiting for a claim: hubs with idle workers should look. */
  void waiting();

  /** A task reached a final state: a hub whose client watches it sends {@code task:result}. */
  void finished(String taskId);

  /**
   * Attempt {@code attempt} of a running task was cancelled or lost its lease: the hub holding it
   * on {@code workerId} frees the slot and tells the worker. A later attempt is not touched.
   */
  void takenAway(String taskId, String workerId, int attempt, String reason);

  /** Starts passing other hubs' signals to {@code listener}. */
  default void listen(Listener listener) {}

  /**
   * Receives other hubs' signals (and this hub's own), on the shared queue's subscriber thread, in
   * the order they were sent; must not block (the hub moves the work to its task lane).
   */
  interface Listener {
    void waiting();

    void finished(String taskId);

    void takenAway(String taskId, String workerId, int attempt, String reason);

    /** The link was down for a while: signals may have been missed. */
    void missedSome();
  }
}
