package io.cmws.executor;

/** A task failure with a say on retrying: {@code retryable} false dead-letters the task at once. */
public class TaskFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public TaskFailedException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public TaskFailedException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
