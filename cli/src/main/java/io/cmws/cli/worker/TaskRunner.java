package io.cmws.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.executor.TaskExecutor;
import io.cmws.executor.TaskFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Runs assigned tasks on a pool of {@code concurrency} threads, enforces each task's timeout, and
 * aborts tasks on cancellation (interrupting the executor, which for shell commands kills the
 * process tree). Outcomes go to the {@link Reporter} from the task's thread.
 */
final class TaskRunner implements AutoCloseable {
  private final int concurrency;
  private final ExecutorRegistry executors;
  private final Reporter reporter;
  private final ExecutorService pool;
  private final ScheduledExecutorService timers;
  private final Map<String, RunningTask> running = new ConcurrentHashMap<>();

  /**
   * Tasks started whose outcome has not been handed to the reporter yet (a freed slot may still be
   * reporting).
   */
  private int unreported; // guarded by idle

  /** Signalled whenever the last unreported outcome is reported. */
  private final Object idle = new Object();

  private final LongSupplier ticker;

  /** Where outcomes go; called on task threads. */
  interface Reporter {
    void progress(RunningTask task, double percent, String message);

    void completed(RunningTask task, JsonNode result);

    void failed(RunningTask task, String error, boolean retryable);
  }

  /** {@code ticker}: nanoseconds, as {@link System#nanoTime}; tests pass a fake one. */
  TaskRunner(int concurrency, ExecutorRegistry executors, Reporter reporter, LongSupplier ticker) {
    this.ticker = ticker;
    this.concurrency = concurrency;
    this.executors = executors;
    this.reporter = reporter;
    AtomicInteger number = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            concurrency, runnable -> daemon(runnable, "cmws-task-" + number.incrementAndGet()));
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(runnable, "cmws-task-timeouts"));
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    thread.setUncaughtExceptionHandler(
        (t, e) -> System.err.println("cmws: " + name + " crashed: " + e));
    return thread;
  }

  boolean hasCapacity() {
    return running.size() < concurrency;
  }

  int running() {
    return running.size();
  }

  List<String> runningIds() {
    return List.copyOf(running.keySet());
  }

  Optional<TaskExecutor> executorFor(Assignment assignment) {
    return executors.find(assignment.type(), assignment.capability());
  }

  /** Starts a task on a free thread; the caller checked capacity and the executor. */
  void start(RunningTask task, TaskExecutor executor) {
    running.put(task.taskId(), task);
    synchronized (idle) {
      unreported++;
    }
    task.future = pool.submit(() -> run(task, executor));
    timers.schedule(
        () -> stop(task, "timed out after " + task.timeout().toMillis() + " ms"),
        task.timeout().toMillis() + 1000,
        TimeUnit.MILLISECONDS); // shell commands time out by themselves first
  }

  private void run(RunningTask task, TaskExecutor executor) {
    try {
      if (task.cancelReason != null) {
        return;
      }
      JsonNode result = executor.execute(task);
      if (task.cancelReason == null) {
        finish(task, () -> reporter.completed(task, result));
      } else {
        failStopped(task);
      }
    } catch (TaskFailedException e) {
      if (task.cancelReason == null) {
        finish(task, () -> reporter.failed(task, e.getMessage(), e.retryable()));
      } else {
        failStopped(task);
      }
    } catch (InterruptedException e) {
      failStopped(task);
    } catch (Exception | LinkageError e) {
      finish(task, () -> reporter.failed(task, executorName(executor) + " failed: " + e, true));
    } finally {
      running.remove(task.taskId(), task);
      synchronized (idle) {
        if (--unreported == 0) {
          idle.notifyAll();
        }
      }
    }
  }

  /**
   * Whether a task runs or its outcome is still on its way to the hub: a draining worker waits for
   * this.
   */
  boolean busy() {
    synchronized (idle) {
      return unreported > 0;
    }
  }

  /** A stopped task: timeouts are retryable, cancellations are not. */
  private void failStopped(RunningTask task) {
    String why = task.cancelReason == null ? "interrupted" : task.cancelReason;
    finish(task, () -> reporter.failed(task, why, !why.startsWith("cancelled")));
  }

  /** Frees the slot before reporting: the hub may send the next task as soon as it hears. */
  private void finish(RunningTask task, Runnable report) {
    if (task.claimOutcome()) {
      running.remove(task.taskId(), task);
      report.run();
    }
  }

  /** Aborts a task; its outcome is reported as cancelled (not retryable). */
  void cancel(String taskId, String reason) {
    RunningTask task = running.get(taskId);
    if (task != null) {
      stop(task, "cancelled: " + reason);
    }
  }

  /** Aborts everything, e.g. when the hub is lost and has already given the tasks to others. */
  void abortAll(String reason) {
    running.values().forEach(task -> stop(task, reason));
  }

  /** Waits until no task runs, at most {@code timeout}. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = ticker.getAsLong() + timeout.toNanos();
    synchronized (idle) {
      for (long left = timeout.toNanos(); unreported > 0 && left > 0; ) {
        TimeUnit.NANOSECONDS.timedWait(idle, left);
        left = deadline - ticker.getAsLong();
      }
      return unreported == 0;
    }
  }

  /** The clock tasks are timed by. */
  LongSupplier ticker() {
    return ticker;
  }

  private void stop(RunningTask task, String reason) {
    if (running.get(task.taskId()) != task || task.cancelReason != null) {
      return;
    }
    task.cancelReason = reason;
    if (task.future != null && task.future.cancel(true)) {
      failStopped(task); // it had not started, or its thread reports nothing more (claimOutcome)
    }
  }

  private static String executorName(TaskExecutor executor) {
    return executor.name() + " executor";
  }

  @Override
  public void close() {
    pool.shutdownNow();
    timers.shutdownNow();
  }
}
