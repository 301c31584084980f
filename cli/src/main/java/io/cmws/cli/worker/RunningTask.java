package io.cmws.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.executor.TaskContext;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/** One task in flight on this worker; the executor's view of it. */
final class RunningTask implements TaskContext {
  final Assignment assignment;
  final long generation;
  final long startedNanos;
  private final TaskRunner.Reporter reporter;
  private final LongSupplier ticker;
  volatile Future<?> future;
  volatile String cancelReason;
  private final AtomicBoolean outcomeReported = new AtomicBoolean();
  private volatile long endedNanos = Long.MIN_VALUE;

  /** {@code ticker}: nanoseconds, as {@link System#nanoTime}; the task is timed from now. */
  RunningTask(
      Assignment assignment, long generation, TaskRunner.Reporter reporter, LongSupplier ticker) {
    this.assignment = assignment;
    this.generation = generation;
    this.reporter = reporter;
    this.ticker = ticker;
    this.startedNanos = ticker.getAsLong();
  }

  /**
   * True once, for whoever reports the outcome: the task's thread, or a cancel that beat its start.
   */
  boolean claimOutcome() {
    if (!outcomeReported.compareAndSet(false, true)) {
      return false;
    }
    endedNanos = ticker.getAsLong();
    return true;
  }

  /**
   * How long the task ran: up to its outcome once there is one, so the log line, the JSON line and
   * the hub's {@code processingTimeMs} say the same.
   */
  long elapsedMillis() {
    long end = endedNanos != Long.MIN_VALUE ? endedNanos : ticker.getAsLong();
    return (end - startedNanos) / 1_000_000;
  }

  @Override
  public String taskId() {
    return assignment.taskId();
  }

  @Override
  public String type() {
    return assignment.type();
  }

  @Override
  public String capability() {
    return assignment.capability();
  }

  @Override
  public int attempt() {
    return assignment.attempt();
  }

  @Override
  public JsonNode payload() {
    return assignment.payload();
  }

  @Override
  public Duration timeout() {
    return assignment.timeout();
  }

  @Override
  public void progress(double percent, String message) {
    if (cancelReason == null) {
      reporter.progress(this, Math.max(0, Math.min(100, percent)), message);
    }
  }

  @Override
  public boolean isCancelled() {
    return cancelReason != null || Thread.currentThread().isInterrupted();
  }
}
