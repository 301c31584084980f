package io.cmws.tasks;

import java.util.function.Consumer;

/**
 * Where the queue records every state change, so a restart finds the tasks again. {@link #record}
 * is called under the queue's lock and must only hand the record over, never wait for I/O.
 */
public interface TaskJournal {

  /** Keeps nothing: the {@code --ephemeral} hub. */
  TaskJournal NONE =
      new TaskJournal() {
        @Override
        public void record(StoredTask task) {}

        @Override
        public void whenDurable(Runnable onDurable, Consumer<Exception> onFailure) {
          onDurable.run();
        }
      };

  void record(StoredTask task);

  /**
   * Runs {@code onDurable} once everything recorded so far is durable (on another thread for a real
   * store), or {@code onFailure} if it cannot be made so. A hub acknowledges a submission only from
   * here.
   */
  void whenDurable(Runnable onDurable, Consumer<Exception> onFailure);
}
