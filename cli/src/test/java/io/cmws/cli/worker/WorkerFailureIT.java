package io.cmws.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CliRun;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import io.cmws.tasks.RetryPolicy;
import io.cmws.tasks.TaskDefaults;
import io.cmws.tasks.TasksConfig;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failure paths with a real hub and real worker processes. */
class WorkerFailureIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Retries after 100 ms, then 200, 400 (capped), no jitter. */
  private static TestHub hub() throws Exception {
    TaskDefaults defaults =
        new TaskDefaults(
            new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(400), 0), Map.of());
    return TestHub.start(
        c -> c.withHub(c.hub().withTasks(TasksConfig.standard().withDefaults(defaults))));
  }

  private static CmwsProcess worker(TestHub hub, String... args) throws Exception {
    String[] all = new String[args.length + 4];
    all[0] = "worker";
    all[1] = "--url";
    all[2] = hub.url().toString();
    all[3] = "--json";
    System.arraycopy(args, 0, all, 4, args.length);
    CmwsProcess worker = CmwsProcess.start(all);
    worker.out.await("\"event\":\"registered\"", WAIT);
    return worker;
  }

  private static String submit(RawClient client, String body) throws Exception {
    return client
        .send("{\"type\":\"task:submit\"," + body + "}")
        .expect("task:submitted")
        .get("taskId")
        .asText();
  }

  /** The next event on one of the watched channels about {@code taskId}. */
  private static JsonNode nextEvent(RawClient watcher, String taskId) throws Exception {
    while (true) {
      JsonNode event = watcher.expect("event");
      if (taskId.equals(event.get("data").path("taskId").asText())) {
        return event;
      }
    }
  }

  private static String channel(JsonNode event) {
    return event.get("channel").asText();
  }

  @Test
  void retriesWithBackoffThenDeadLetters() throws Exception {
    try (TestHub hub = hub();
        RawClient watcher = hub.subscriber("task:*");
        RawClient client = hub.subscriber();
        CmwsProcess worker =
            worker(
                hub,
                "--capabilities",
                "flaky",
                "--executor",
                "flaky=shell:echo 'disk temporarily full' >&2; exit 75")) {
      String id = submit(client, "\"taskType\":\"flaky\",\"maxRetries\":3,\"watch\":true");
      long[] expectedDelays = {200, 400};
      long lastFailure = 0;
      for (int attempt = 1; attempt <= 3; attempt++) {
        assertEquals("task:queued", attempt == 1 ? channel(nextEvent(watcher, id)) : "task:queued");
        JsonNode assigned = nextEvent(watcher, id);
        assertEquals("task:assigned", channel(assigned));
        assertEquals(attempt, assigned.get("data").get("attempt").asInt());
        if (attempt > 1) {
          long waited = assigned.get("timestamp").asLong() - lastFailure;
          assertTrue(
              waited >= expectedDelays[attempt - 2] - 5,
              "attempt " + attempt + " waited " + waited + " ms");
        }
        JsonNode outcome = nextEvent(watcher, id);
        lastFailure = outcome.get("timestamp").asLong();
        if (attempt < 3) {
          assertEquals("task:retrying", channel(outcome));
          assertEquals(expectedDelays[attempt - 1], outcome.get("data").get("delayMs").asLong());
        } else {
          assertEquals("task:failed", channel(outcome));
          assertEquals(3, outcome.get("data").get("retries").asInt());
          assertTrue(
              outcome
                  .get("data")
                  .get("error")
                  .asText()
                  .contains("exited 75: disk temporarily full"));
        }
      }
      JsonNode result = client.expect("task:result");
      assertEquals("failed", result.get("state").asText());
      JsonNode task =
          client
              .send("{\"type\":\"task:get\",\"taskId\":\"" + id + "\"}")
              .expect("task:info")
              .get("task");
      assertEquals("failed", task.get("state").asText(), "dead-lettered, kept for inspection");
      assertTrue(task.get("error").asText().contains("disk temporarily full"));
    }
  }

  @Test
  void aNonRetryableFailureIsFinalAtOnce() throws Exception {
    try (TestHub hub = hub();
        RawClient watcher = hub.subscriber("task:*");
        RawClient client = hub.subscriber();
        CmwsProcess worker =
            worker(
                hub,
                "--capabilities",
                "strict",
                "--executor",
                "strict=shell:echo 'bad input' >&2; exit 65")) {
      String id = submit(client, "\"taskType\":\"strict\",\"maxRetries\":5");
      assertEquals("task:queued", channel(nextEvent(watcher, id)));
      assertEquals("task:assigned", channel(nextEvent(watcher, id)));
      JsonNode failed = nextEvent(watcher, id);
      assertEquals("task:failed", channel(failed));
      assertEquals(1, failed.get("data").get("retries").asInt());
    }
  }

  @Test
  void aHungWorkerLosesItsTaskByLeaseExpiryAndItsLateResultIsRefused() throws Exception {
    try (TestHub hub = hub();
        RawClient watcher = hub.subscriber("task:*");
        RawClient client = hub.subscriber();
        RawClient hung = RawClient.greeted(hub.url())) {
      hung.send("{\"type\":\"register\",\"capabilities\":[\"h\"]}").expect("registered");
      String id =
          submit(client, "\"taskType\":\"h\",\"payload\":\"ok\",\"timeoutMs\":1000,\"watch\":true");
      assertEquals(id, hung.expect("task:assign").get("task").get("id").asText());
      try (CmwsProcess healthy = worker(hub, "--capabilities", "h", "--executor", "h=echo")) {
        // the hung worker never heartbeats: after the 1 s lease the task moves on
        assertEquals(id, hung.expect("task:cancel").get("taskId").asText());
        JsonNode result = client.expect("task:result");
        assertEquals("completed", result.get("state").asText());
        assertEquals(2, result.get("attempt").asInt());
        JsonNode refused =
            hung.send("{\"type\":\"task:complete\",\"taskId\":\"" + id + "\",\"result\":\"late\"}")
                .expect("error");
        assertEquals("not_owner", refused.get("code").asText());
        JsonNode task =
            client
                .send("{\"type\":\"task:get\",\"taskId\":\"" + id + "\"}")
                .expect("task:info")
                .get("task");
        assertEquals("ok", task.get("result").asText(), "the late result changed nothing");
      }
    }
  }

  @Test
  void aWorkerKilledMidTaskCostsAnAttemptAndAnotherFinishes() throws Exception {
    try (TestHub hub = hub();
        RawClient client = hub.subscriber();
        RawClient watcher = hub.subscriber("task:*")) {
      CmwsProcess doomed = worker(hub, "--capabilities", "k", "--executor", "k=shell:sleep 30");
      String id = submit(client, "\"taskType\":\"k\",\"watch\":true");
      doomed.out.await("\"event\":\"started\"", WAIT);
      try (CmwsProcess survivor =
          worker(hub, "--capabilities", "k", "--executor", "k=shell:echo finished")) {
        doomed.kill();
        JsonNode result = client.expect("task:result");
        assertEquals("completed", result.get("state").asText());
        assertEquals("finished", result.get("result").asText());
        assertEquals(2, result.get("attempt").asInt());
        boolean retried = false;
        for (JsonNode event = nextEvent(watcher, id);
            !channel(event).equals("task:completed");
            event = nextEvent(watcher, id)) {
          retried |=
              channel(event).equals("task:retrying")
                  && event.get("data").get("error").asText().contains("disconnected");
        }
        assertTrue(retried, "the lost attempt is reported");
      } finally {
        doomed.close();
      }
    }
  }

  @Test
  void cancellationKillsTheShellCommandsProcesses(@TempDir Path dir) throws Exception {
    Path pids = dir.resolve("pids");
    String command =
        "sleep 60 & echo $! > "
            + pids
            + "; echo $$ >> "
            + pids
            + "; echo 'progress 1 started' >&2; wait";
    try (TestHub hub = hub();
        RawClient watcher = hub.subscriber("task:progress", "task:cancelled");
        CmwsProcess worker =
            worker(hub, "--capabilities", "long", "--executor", "long=shell:" + command)) {
      CliRun submit = CliRun.run("task", "submit", "long", "--url", hub.url().toString());
      String id = submit.stdout().get(0);
      assertEquals(
          id,
          watcher.expect("event").get("data").get("taskId").asText(),
          "progress: the pids are written");
      CliRun cancel =
          CliRun.run(
              "task", "cancel", id, "--reason", "changed my mind", "--url", hub.url().toString());
      assertEquals(0, cancel.exitCode(), cancel.stderr().toString());
      JsonNode cancelled = watcher.expect("event");
      assertEquals("task:cancelled", cancelled.get("channel").asText());
      assertEquals("changed my mind", cancelled.get("data").get("reason").asText());
      for (String pid : Files.readAllLines(pids)) {
        ProcessHandle process = ProcessHandle.of(Long.parseLong(pid.trim())).orElse(null);
        if (process != null) {
          process.onExit().get(10, TimeUnit.SECONDS);
          assertFalse(process.isAlive(), "process " + pid + " is gone");
        }
      }
      worker.out.await("\"event\":\"failed\"", WAIT);
      assertEquals(
          0,
          CliRun.run("task", "cancel", id, "--url", hub.url().toString()).exitCode(),
          "idempotent");
    }
  }

  @Test
  void theQueueLimitRefusesWithAClearError() throws Exception {
    try (TestHub hub =
        TestHub.start(
            c -> c.withHub(c.hub().withTasks(TasksConfig.standard().withMaxWaiting(2))))) {
      String url = hub.url().toString();
      assertEquals(0, CliRun.run("task", "submit", "t", "1", "--url", url).exitCode());
      assertEquals(0, CliRun.run("task", "submit", "t", "2", "--url", url).exitCode());
      CliRun refused = CliRun.run("task", "submit", "t", "3", "--url", url);
      assertEquals(5, refused.exitCode());
      assertEquals(
          "cmws: task:submit refused by the hub: Task queue full: 2 tasks are waiting; try again later",
          refused.stderr().get(0));
    }
  }

  @Test
  void aTaskForAMissingCapabilityWaitsForAWorkerThatHasIt() throws Exception {
    try (TestHub hub = hub()) {
      String url = hub.url().toString();
      CliRun waiting = CliRun.start("task", "submit", "rare", "{\"x\":1}", "--wait", "--url", url);
      waiting.err.await("waiting for it", WAIT);
      CliRun pending = CliRun.run("task", "list", "--state", "pending", "--json", "--url", url);
      assertEquals("rare", Json.parse(pending.stdout().get(0)).get("type").asText());
      try (CmwsProcess worker =
          worker(hub, "--capabilities", "rare", "--executor", "rare=echo", "--name", "gpu-box")) {
        assertEquals(0, waiting.exitCode());
        assertEquals("{\"x\":1}", waiting.stdout().get(0));
      }
      JsonNode done =
          Json.parse(CliRun.run("task", "list", "--json", "--url", url).stdout().get(0));
      String id = done.get("id").asText();
      // ids that say what they are: the command line submitted it, the named worker ran it
      assertTrue(done.get("clientId").asText().matches("cli-\\d+-[0-9a-z]+"), done.toString());
      assertTrue(done.get("workerId").asText().matches("gpu-box-\\d+-[0-9a-z]+"), done.toString());
      String row = CliRun.run("task", "list", "--url", url).stdout().get(1);
      assertTrue(row.contains(" cli-") && row.contains(" gpu-box-"), row);
      CliRun late = CliRun.run("task", "cancel", id, "--url", url);
      assertEquals(5, late.exitCode());
      assertEquals(
          "cmws: task " + id + " was not cancelled: it is already completed", late.stderr().get(0));
    }
  }

  @Test
  void sigtermFinishesTheRunningTaskThenExitsZero() throws Exception {
    try (TestHub hub = hub();
        RawClient client = hub.subscriber();
        RawClient watcher = hub.subscriber("worker:*")) {
      CmwsProcess worker =
          worker(hub, "--capabilities", "slow", "--executor", "slow=shell:sleep 1; echo slept");
      watcher.expect("event"); // worker:connected
      submit(client, "\"taskType\":\"slow\",\"watch\":true");
      worker.out.await("\"event\":\"started\"", WAIT);
      worker.terminate();
      JsonNode result = client.expect("task:result");
      assertEquals("completed", result.get("state").asText());
      assertEquals("slept", result.get("result").asText());
      assertEquals(0, worker.waitFor(WAIT));
      assertEquals("worker:disconnected", watcher.expect("event").get("channel").asText());
      assertTrue(
          worker.err.snapshot().stream().anyMatch(l -> l.contains("stopped")),
          worker.err.snapshot().toString());
    }
  }
}
