package io.cmws.cli.server;

import static io.cmws.cli.testing.FederatedHubs.awaitPools;
import static io.cmws.cli.testing.FederatedHubs.client;
import static io.cmws.cli.testing.FederatedHubs.hub;
import static io.cmws.cli.testing.FederatedHubs.ready;
import static io.cmws.cli.testing.FederatedHubs.recorder;
import static io.cmws.cli.testing.FederatedHubs.url;
import static io.cmws.cli.testing.FederatedHubs.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.cli.testing.CuttableProxy;
import io.cmws.cli.testing.FederatedHubs;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parent hub and child hubs joined with {@code --upstream}, each a real process with real
 * workers: tasks submitted at the parent run on every pool that can run them, exactly once, in
 * priority order, and survive a child killed with kill -9 and a link cut for 10 s.
 */
class FederationProcessIT {
  private static final int TASKS = 1000;
  private static final int[] PRIORITIES = {10, 50, 90};

  /** One line of an execution log: which worker ran which payload. */
  private record Execution(String worker, JsonNode payload) {}

  private static List<Execution> executions(Path log) throws Exception {
    List<Execution> all = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      int space = line.indexOf(' ');
      all.add(new Execution(line.substring(0, space), Json.parse(line.substring(space + 1))));
    }
    return all;
  }

  private static String submit(int i, String capability, int priority, Long timeoutMs) {
    return "{\"type\":\"task:submit\",\"taskType\":\""
        + capability
        + "\",\"payload\":{\"i\":"
        + i
        + ",\"c\":\""
        + capability
        + "\",\"p\":"
        + priority
        + "},\"priority\":"
        + priority
        + (timeoutMs == null ? "" : ",\"timeoutMs\":" + timeoutMs)
        + ",\"id\":\""
        + i
        + "\"}";
  }

  /** Submits and returns request index → task id, after every acknowledgement. */
  private static Map<Integer, String> submitAll(RawClient client, List<String> frames)
      throws Exception {
    frames.forEach(client::send);
    Map<Integer, String> ids = new HashMap<>();
    for (int n = 0; n < frames.size(); n++) {
      JsonNode ack = client.expect("task:submitted");
      ids.put(ack.get("id").asInt(), ack.get("taskId").asText());
    }
    return ids;
  }

  /** Waits for a task:completed of each id; returns how many each got. */
  private static Map<String, Integer> completions(RawClient watcher, Set<String> ids)
      throws Exception {
    Map<String, Integer> seen = new HashMap<>();
    while (!seen.keySet().containsAll(ids)) {
      JsonNode event = watcher.expect("event");
      assertEquals("task:completed", event.get("channel").asText(), event.toString());
      seen.merge(event.get("data").get("taskId").asText(), 1, Integer::sum);
    }
    return seen;
  }

  private static RawClient watcher(URI hub, String... channels) throws Exception {
    RawClient watcher = client(hub);
    watcher
        .send("{\"type\":\"subscribe\",\"channels\":" + Json.write(List.of(channels)) + "}")
        .expect("subscribed");
    return watcher;
  }

  /** The tasks as the parent records them, by id. */
  private static Map<String, JsonNode> tasks(URI hub, Set<String> ids) throws Exception {
    Map<String, JsonNode> tasks = new HashMap<>();
    try (RawClient client = client(hub)) {
      ids.forEach(id -> client.send("{\"type\":\"task:get\",\"taskId\":\"" + id + "\"}"));
      for (int n = 0; n < ids.size(); n++) {
        JsonNode task = client.expect("task:info").get("task");
        tasks.put(task.get("id").asText(), task);
      }
    }
    return tasks;
  }

  @Test
  @Timeout(240)
  void aThousandTasksRunOnceOnCapablePoolsHighestPriorityFirst(@TempDir Path dir) throws Exception {
    Path log = Files.createFile(dir.resolve("executions.log"));
    Path gate = dir.resolve("gate");
    try (CmwsProcess parent = hub("central")) {
      URI parentUrl = url(parent);
      try (CmwsProcess gpu = hub("gpu-box", "--upstream", parentUrl.toString());
          CmwsProcess edge =
              hub("edge", "--upstream", parentUrl.toString(), "--region", "eu-west");
          CmwsProcess localWorker = worker(parentUrl, "cpu", 2, recorder("central", log, gate));
          CmwsProcess gpuWorker = worker(url(gpu), "gpu,cpu", 3, recorder("gpu-box", log, gate));
          CmwsProcess edgeWorker = worker(url(edge), "edge,cpu", 2, recorder("edge", log, gate));
          RawClient submitter = client(parentUrl);
          RawClient watcher = watcher(parentUrl, "task:completed")) {
        awaitPools(
            submitter,
            hubs ->
                ready(hubs, "central", 2, "cpu")
                    && ready(hubs, "gpu-box", 3, "gpu", "cpu")
                    && ready(hubs, "edge", 2, "edge", "cpu"));

        // all slots fill with the first tasks and wait at the gate: the rest queue at the parent
        Map<Integer, String> capabilityOf = new HashMap<>();
        Map<Integer, Integer> priorityOf = new HashMap<>();
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
          int kind = (i / 3) % 10;
          String capability = kind < 2 ? "gpu" : kind == 2 ? "edge" : "cpu";
          capabilityOf.put(i, capability);
          priorityOf.put(i, PRIORITIES[i % 3]);
          frames.add(submit(i, capability, PRIORITIES[i % 3], null));
        }
        Map<Integer, String> ids = submitAll(submitter, frames);
        Set<String> beforeGate = new HashSet<>();
        submitter
            .send("{\"type\":\"task:list\",\"state\":\"assigned\",\"limit\":1000}")
            .expect("task:listed")
            .get("tasks")
            .forEach(task -> beforeGate.add(task.get("id").asText()));
        Files.createFile(gate);

        Map<String, Integer> completed = completions(watcher, new HashSet<>(ids.values()));
        assertTrue(completed.values().stream().allMatch(n -> n == 1), "completed twice somewhere");

        Map<String, JsonNode> tasks = tasks(parentUrl, new HashSet<>(ids.values()));
        Map<String, Integer> byPool = new HashMap<>();
        for (Map.Entry<Integer, String> entry : ids.entrySet()) {
          JsonNode task = tasks.get(entry.getValue());
          assertEquals("completed", task.get("state").asText(), task.toString());
          assertEquals(task.get("payload"), task.get("result"));
          String pool = task.path("hub").asText("central");
          byPool.merge(pool, 1, Integer::sum);
          String capability = capabilityOf.get(entry.getKey());
          if (!capability.equals("cpu")) {
            assertEquals(capability.equals("gpu") ? "gpu-box" : "edge", pool, task.toString());
            assertTrue(task.get("workerId").asText().startsWith("hub:" + pool + "/"));
          }
        }

        List<Execution> runs = executions(log);
        assertEquals(TASKS, runs.size(), "each task ran once: " + runs.size() + " runs");
        Map<Integer, String> ranOn = new HashMap<>();
        for (Execution run : runs) {
          int i = run.payload().get("i").asInt();
          assertFalse(ranOn.containsKey(i), "task " + i + " ran twice");
          ranOn.put(i, run.worker());
          String capability = run.payload().get("c").asText();
          assertTrue(
              capability.equals("cpu")
                  || run.worker().equals(capability + "-box")
                  || run.worker().equals(capability),
              run.worker() + " cannot run " + capability);
        }

        // the tasks still waiting when the gate opened start in priority order, per capability
        // (give or take the few whose shells start at the same moment)
        int slack = 7;
        Map<String, List<Integer>> order = new HashMap<>();
        for (Execution run : runs) {
          if (beforeGate.contains(ids.get(run.payload().get("i").asInt()))) {
            continue;
          }
          order
              .computeIfAbsent(run.payload().get("c").asText(), c -> new ArrayList<>())
              .add(run.payload().get("p").asInt());
        }
        for (Map.Entry<String, List<Integer>> entry : order.entrySet()) {
          List<Integer> priorities = entry.getValue();
          int lastHigh = priorities.lastIndexOf(90);
          int firstLow = priorities.indexOf(10);
          assertTrue(
              lastHigh < firstLow + slack,
              entry.getKey()
                  + ": last priority-90 start "
                  + lastHigh
                  + ", first priority-10 "
                  + firstLow);
        }
        assertTrue(byPool.keySet().containsAll(List.of("central", "gpu-box", "edge")), "" + byPool);
        System.out.println(
            "federation 1000 tasks: "
                + byPool
                + " (pool → tasks), each completed and ran once; "
                + beforeGate.size()
                + " started before the gate, the rest in priority order");
      }
    }
  }

  private static List<String> jobs(int count, Long timeoutMs) {
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      frames.add(submit(i, "job", 50, timeoutMs));
    }
    return frames;
  }

  /** Runs per task index; fails if a task ran on no worker. */
  private static Map<Integer, List<String>> runsByTask(Path log, int count) throws Exception {
    Map<Integer, List<String>> runs = new HashMap<>();
    for (Execution run : executions(log)) {
      runs.computeIfAbsent(run.payload().get("i").asInt(), i -> new ArrayList<>())
          .add(run.worker());
    }
    assertEquals(count, runs.size(), "every task ran");
    return runs;
  }

  @Test
  @Timeout(240)
  void aChildKilledWithKill9MidRunLosesNothing(@TempDir Path dir) throws Exception {
    Path log = Files.createFile(dir.resolve("executions.log"));
    int count = 300;
    try (CmwsProcess parent = hub("central")) {
      URI parentUrl = url(parent);
      try (CmwsProcess doomed = hub("hub-a", "--upstream", parentUrl.toString());
          CmwsProcess survivor = hub("hub-b", "--upstream", parentUrl.toString());
          CmwsProcess localWorker = worker(parentUrl, "job", 2, recorder("central", log, null));
          CmwsProcess doomedWorker =
              worker(url(doomed), "job", 4, recorder("hub-a", log, null, "0.05"));
          CmwsProcess survivorWorker =
              worker(url(survivor), "job", 4, recorder("hub-b", log, null, "0.05"));
          RawClient submitter = client(parentUrl);
          RawClient watcher = watcher(parentUrl, "task:completed")) {
        awaitPools(
            submitter,
            hubs ->
                ready(hubs, "central", 2, "job")
                    && ready(hubs, "hub-a", 4, "job")
                    && ready(hubs, "hub-b", 4, "job"));
        // 3 s leases: what the dead hub held runs elsewhere within seconds
        Set<String> ids = new HashSet<>(submitAll(submitter, jobs(count, 3000L)).values());
        Map<String, Integer> completed = new HashMap<>();
        while (completed.size() < count / 3) {
          completed.merge(
              watcher.expect("event").get("data").get("taskId").asText(), 1, Integer::sum);
        }
        int heldByTheDead =
            FederatedHubs.pool(FederatedHubs.hubs(submitter), "hub-a").path("running").size();
        doomed.kill();
        doomedWorker.kill(); // the whole machine is gone
        Set<String> rest = new HashSet<>(ids);
        rest.removeAll(completed.keySet());
        completions(watcher, rest).forEach((id, n) -> completed.merge(id, n, Integer::sum));
        assertEquals(ids, completed.keySet());
        assertTrue(completed.values().stream().allMatch(n -> n == 1), "a task completed twice");
        tasks(parentUrl, ids)
            .values()
            .forEach(
                task -> assertEquals("completed", task.get("state").asText(), task.toString()));

        Map<Integer, List<String>> runs = runsByTask(log, count);
        List<Integer> twice =
            runs.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey)
                .toList();
        for (int i : twice) {
          assertEquals("hub-a", runs.get(i).get(0), "only what the dead hub ran may run again");
        }
        assertTrue(twice.size() <= 8, twice.size() + " tasks ran twice");
        System.out.println(
            "federation kill -9: "
                + count
                + " tasks completed once each; the killed hub held "
                + heldByTheDead
                + ", "
                + twice.size()
                + " of them ran again elsewhere");
      }
    }
  }

  @Test
  @Timeout(240)
  void aLinkThatGoesSilentAndIsCutForTenSecondsLosesNothingAndRunsNothingTwice(@TempDir Path dir)
      throws Exception {
    Path log = Files.createFile(dir.resolve("executions.log"));
    int count = 200;
    try (CmwsProcess parent = hub("central")) {
      URI parentUrl = url(parent);
      try (CuttableProxy proxy = CuttableProxy.to(parentUrl);
          CmwsProcess child = hub("hub-a", "--upstream", proxy.via(parentUrl).toString());
          CmwsProcess localWorker = worker(parentUrl, "job", 1, recorder("central", log, null));
          CmwsProcess childWorker =
              worker(url(child), "job", 4, recorder("hub-a", log, null, "0.3"));
          RawClient submitter = client(parentUrl);
          RawClient watcher = watcher(parentUrl, "task:completed", "hub:*")) {
        awaitPools(
            submitter, hubs -> ready(hubs, "central", 1, "job") && ready(hubs, "hub-a", 4, "job"));
        Set<String> ids = new HashSet<>(submitAll(submitter, jobs(count, null)).values());
        Map<String, Integer> completed = new HashMap<>();
        Set<String> onChildAtTheCut = new HashSet<>();
        boolean cut = false;
        List<String> hubEvents = new ArrayList<>();
        Set<String> cameBack = new HashSet<>();
        watcher.keepAlive();
        while (!completed.keySet().containsAll(ids)) {
          // the child's results may be all that is left: they come after the outage
          JsonNode event = watcher.poll(Duration.ofSeconds(30));
          assertTrue(event != null && event.path("type").asText().equals("event"), "" + event);
          String channel = event.get("channel").asText();
          if (channel.startsWith("hub:")) {
            if (cut) { // the child's first hub:connected may come after we subscribed
              hubEvents.add(channel);
            }
            continue;
          }
          String taskId = event.get("data").get("taskId").asText();
          completed.merge(taskId, 1, Integer::sum);
          if (cut && onChildAtTheCut.contains(taskId) && hubEvents.contains("hub:connected")) {
            cameBack.add(taskId);
          }
          if (!cut && completed.size() >= 40) {
            FederatedHubs.pool(FederatedHubs.hubs(submitter), "hub-a")
                .path("running")
                .forEach(id -> onChildAtTheCut.add(id.asText()));
            // silent for a second first: the reports sent meanwhile are lost in flight
            proxy.cut(Duration.ofSeconds(1), Duration.ofSeconds(10));
            cut = true;
          }
        }
        assertTrue(completed.values().stream().allMatch(n -> n == 1), "a task completed twice");
        assertEquals(List.of("hub:disconnected", "hub:connected"), hubEvents);
        assertFalse(onChildAtTheCut.isEmpty(), "the child ran tasks when the link went");
        assertFalse(cameBack.isEmpty(), "results of the child arrived after it was back");

        Map<Integer, List<String>> runs = runsByTask(log, count);
        runs.forEach((i, workers) -> assertEquals(1, workers.size(), "task " + i + ": " + workers));
        System.out.println(
            "federation link silent 1 s, cut 10 s: "
                + count
                + " tasks completed and ran once each; "
                + cameBack.size()
                + " of the "
                + onChildAtTheCut.size()
                + " the child held reported after the reconnect");
      }
    }
  }
}
