package io.cmws.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.cmws.executor.TaskContext;
import io.cmws.executor.TaskExecutor;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The task runner on a fake clock: durations come from the injected ticker, not the wall. */
@Timeout(10)
class TaskRunnerTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();

  private final TaskRunner.Reporter reporter =
      new TaskRunner.Reporter() {
        @Override
        public void progress(RunningTask task, double percent, String message) {}

        @Override
        public void completed(RunningTask task, JsonNode result) {
          outcomes.add("completed " + task.taskId() + " after " + task.elapsedMillis() + " ms");
        }

        @Override
        public void failed(RunningTask task, String error, boolean retryable) {
          outcomes.add("failed " + task.taskId() + ": " + error);
        }
      };

  /** An executor that runs until the test lets it finish. */
  private static TaskExecutor held(CountDownLatch release) {
    return new TaskExecutor() {
      @Override
      public String name() {
        return "held";
      }

      @Override
      public JsonNode execute(TaskContext task) throws Exception {
        release.await();
        return IntNode.valueOf(1);
      }
    };
  }

  private RunningTask task(String id) {
    Assignment assignment =
        new Assignment(id, "t", "t", 1, Duration.ofMinutes(5), IntNode.valueOf(0));
    return new RunningTask(assignment, 1, reporter, nanos::get);
  }

  @Test
  void aTaskIsTimedByTheInjectedClock() throws Exception {
    try (TaskRunner runner =
        new TaskRunner(
            1,
            ExecutorRegistry.build(java.util.List.of(), java.util.List.of()),
            reporter,
            nanos::get)) {
      CountDownLatch release = new CountDownLatch(1);
      runner.start(task("T1"), held(release));
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));
      release.countDown();
      assertEquals("completed T1 after 250 ms", outcomes.poll(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void awaitIdleWakesWhenTheLastOutcomeIsReported() throws Exception {
    try (TaskRunner runner =
        new TaskRunner(
            2,
            ExecutorRegistry.build(java.util.List.of(), java.util.List.of()),
            reporter,
            nanos::get)) {
      CountDownLatch release = new CountDownLatch(1);
      runner.start(task("T1"), held(release));
      runner.start(task("T2"), held(release));
      assertTrue(runner.busy());
      // the clock stands still: only the outcomes can end this wait, and they do at once
      Thread releaser = new Thread(release::countDown);
      releaser.start();
      assertTrue(runner.awaitIdle(Duration.ofDays(1)));
      assertFalse(runner.busy());
      assertEquals(2, outcomes.size());

      CountDownLatch never = new CountDownLatch(1);
      runner.start(task("T3"), held(never));
      assertFalse(runner.awaitIdle(Duration.ZERO), "busy, and no time to wait");
      never.countDown();
    }
  }
}
