package io.cmws.tasks;

/** A submitter has as many unfinished tasks as it may; nothing was queued. */
public final class SubmitterLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SubmitterLimitException(String submitter, int limit) {
    super(
        "at most "
            + limit
            + " unfinished tasks per submitter, and "
            + submitter
            + " has that many; wait for some to finish");
  }
}
