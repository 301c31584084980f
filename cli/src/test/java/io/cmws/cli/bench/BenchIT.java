package io.cmws.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CliRun;
import io.cmws.cli.testing.ScriptedPeer;
import io.cmws.protocol.Json;
import io.cmws.testing.TestHub;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code cmws bench} in its short mode, as CI runs it: every workload against a real hub for about
 * two seconds, checking the JSON report's fields and that the figures add up. Speed itself is not
 * asserted here (docs/performance.md has the method and the figures).
 */
@Timeout(120)
class BenchIT {

  private static JsonNode report(CliRun run) throws Exception {
    assertEquals(0, run.exitCode(), () -> run.stderr().toString());
    List<String> out = run.stdout();
    assertEquals(1, out.size(), "one JSON object on stdout: " + out);
    return Json.parse(out.get(0));
  }

  private static void assertLatency(JsonNode latency, long count) {
    assertEquals(count, latency.get("count").asLong(), "one latency sample per measured message");
    double previous = 0;
    for (String field : List.of("p50", "p90", "p99", "p999", "max")) {
      double value = latency.get(field).asDouble();
      assertTrue(value >= previous, field + " is not below the lower percentiles: " + latency);
      previous = value;
    }
    assertTrue(latency.get("max").asDouble() > 0, "latencies were measured: " + latency);
  }

  @Test
  void pubsubReportsEveryDeliveryOfEveryPublishedEvent() throws Exception {
    try (TestHub hub = TestHub.start()) {
      JsonNode r =
          report(
              CliRun.run(
                  "bench",
                  "pubsub",
                  "--url",
                  hub.url().toString(),
                  "--admin-url",
                  hub.adminUrl().toString(),
                  "--subscribers",
                  "20",
                  "--patterns",
                  "3",
                  "--rate",
                  "500",
                  "--duration",
                  "2s",
                  "--warmup",
                  "0",
                  "--json",
                  "--quiet"));
      assertEquals("pubsub", r.get("workload").asText());
      assertEquals(20, r.get("subscribers").asInt());
      assertEquals(3, r.get("patternsPerSubscriber").asInt());
      long published = r.get("published").asLong();
      assertTrue(published > 100, "about 1000 events at 500/s for 2 s: " + r);
      assertEquals(
          published * 20,
          r.get("delivered").asLong(),
          "every event reached every subscriber: " + r);
      assertEquals(0, r.get("undelivered").asLong());
      assertEquals(0, r.get("subscribersLost").asLong());
      assertTrue(
          r.get("deliveredPerSec").asDouble() > 0 && r.get("connectPerSec").asDouble() > 0,
          r.toString());
      assertLatency(r.get("latencyMs"), published * 20);
      assertTrue(
          r.get("hubHeapUsedBytes").asLong() > 0, "the hub's memory, read from /metrics: " + r);
      assertTrue(
          r.get("hubCpuMicrosPerDelivery").asDouble() > 0,
          "the hub's CPU per delivery, from /metrics before and after: " + r);
    }
  }

  @Test
  void tasksReportsCompletedTasksAndTheirLatency() throws Exception {
    try (TestHub hub = TestHub.start()) {
      JsonNode r =
          report(
              CliRun.run(
                  "bench",
                  "tasks",
                  "--url",
                  hub.url().toString(),
                  "--admin-url",
                  hub.adminUrl().toString(),
                  "--workers",
                  "2",
                  "--concurrency",
                  "8",
                  "--duration",
                  "2s",
                  "--warmup",
                  "0",
                  "--json",
                  "--quiet"));
      assertEquals("tasks", r.get("workload").asText());
      long completed = r.get("completed").asLong();
      assertTrue(completed > 100, r.toString());
      assertTrue(r.get("submitted").asLong() >= completed, r.toString());
      assertEquals(0, r.get("failed").asLong());
      assertEquals(0, r.get("refused").asLong());
      assertTrue(r.get("latencyMs").get("count").asLong() >= completed, r.toString());
      assertTrue(r.get("completedPerSec").asDouble() > 0, r.toString());
    }
  }

  @Test
  void connectionsReportsSetupRateAndHeapPerConnection() throws Exception {
    try (TestHub hub = TestHub.start()) {
      JsonNode r =
          report(
              CliRun.run(
                  "bench",
                  "connections",
                  "--url",
                  hub.url().toString(),
                  "--admin-url",
                  hub.adminUrl().toString(),
                  "-n",
                  "200",
                  "--hold",
                  "1s",
                  "--json",
                  "--quiet"));
      assertEquals("connections", r.get("workload").asText());
      assertEquals(200, r.get("connected").asInt(), r.toString());
      assertTrue(r.get("connectPerSec").asDouble() > 0, r.toString());
      assertLatency(r.get("setupLatencyMs"), 200);
      assertTrue(
          r.has("hubHeapPerConnectionBytes"), "heap per connection from the admin endpoint: " + r);
      assertTrue(r.has("hubRssPerConnectionBytes"), "RSS per connection from /metrics: " + r);
    }
  }

  @Test
  void soakReportsTheHubBeforeAndAfter() throws Exception {
    try (TestHub hub = TestHub.start()) {
      JsonNode r =
          report(
              CliRun.run(
                  "bench",
                  "soak",
                  "--url",
                  hub.url().toString(),
                  "--admin-url",
                  hub.adminUrl().toString(),
                  "--duration",
                  "3s",
                  "--subscribers",
                  "5",
                  "--churn",
                  "20",
                  "--rate",
                  "100",
                  "--tasks",
                  "20",
                  "--json",
                  "--quiet"));
      assertEquals("soak", r.get("workload").asText());
      assertTrue(r.get("published").asLong() >= 200, r.toString());
      assertTrue(
          r.get("delivered").asLong() >= 5 * (r.get("published").asLong() - 50),
          "the steady subscribers get them: " + r);
      assertTrue(r.get("connectionsChurned").asLong() >= 40, r.toString());
      assertEquals(
          r.get("tasksSubmitted").asLong(), r.get("tasksCompleted").asLong(), r.toString());
      assertEquals(0, r.get("errors").asLong(), r.toString());
      assertEquals(0, r.get("steadyLost").asLong(), r.toString());
      assertEquals(
          0, r.get("connectionGrowth").asInt(), "the churned connections are all gone: " + r);
      for (String side : List.of("start", "end")) {
        JsonNode figures = r.get(side);
        assertTrue(
            figures.get("connections").asInt() == 8
                && figures.get("threads").asInt() > 0
                && figures.get("heapAfterGcBytes").asLong() > 0
                && figures.get("openFiles").asLong() > 0,
            side + ": " + figures);
      }
    }
  }

  @Test
  void textReportAndProgressForPeople() throws Exception {
    try (TestHub hub = TestHub.start()) {
      CliRun run =
          CliRun.run(
              "bench",
              "pubsub",
              "--url",
              hub.url().toString(),
              "--subscribers",
              "5",
              "--rate",
              "100",
              "--duration",
              "1s",
              "--warmup",
              "0");
      assertEquals(0, run.exitCode(), () -> run.stderr().toString());
      assertTrue(
          run.stdout().stream().anyMatch(l -> l.matches("deliveredPerSec +[0-9.]+")),
          run.stdout().toString());
      assertTrue(
          run.stderr().stream().anyMatch(l -> l.startsWith("bench: ") && l.contains("delivered")),
          "progress on stderr: " + run.stderr());
    }
  }

  /** Only the claude-mem wire subset: subscribe, then measure events someone else publishes. */
  @Test
  void pubsubWithoutPublishingRunsAgainstAClaudeMemBackend() throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.claudeMemBackend()) {
      CliRun run =
          CliRun.start(
              "bench",
              "pubsub",
              "--no-publish",
              "--subscribers",
              "1",
              "--duration",
              "1s",
              "--warmup",
              "0",
              "--json",
              "--quiet",
              "--url",
              backend.url().toString(),
              "--admin-url",
              "http://127.0.0.1:1/");
      ScriptedPeer.Peer peer = backend.accept();
      peer.expect("auth");
      peer.send(
          "{\"type\":\"auth:success\",\"clientId\":\"browser-1-x\",\"permissions\":[\"subscribe\"]}");
      peer.expect("subscribe");
      peer.send("{\"type\":\"subscribed\",\"channels\":[\"bench:*\"]}");
      for (int i = 0; i < 10; i++) {
        peer.send(
            "{\"type\":\"event\",\"channel\":\"bench:x\",\"data\":{},\"timestamp\":"
                + System.currentTimeMillis()
                + "}");
      }
      JsonNode r = report(run);
      assertEquals(0, r.get("publishers").asInt());
      assertEquals(10, r.get("delivered").asLong(), r.toString());
      assertEquals(
          10,
          r.get("latencyMs").get("count").asLong(),
          "latency from the backend's timestamps: " + r);
      assertTrue(!r.has("hubHeapUsedBytes"), "no admin endpoint, no memory figure: " + r);
    }
  }
}
