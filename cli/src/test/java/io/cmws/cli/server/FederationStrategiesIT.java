package io.cmws.cli.server;

import static io.cmws.cli.testing.FederatedHubs.awaitPools;
import static io.cmws.cli.testing.FederatedHubs.client;
import static io.cmws.cli.testing.FederatedHubs.hub;
import static io.cmws.cli.testing.FederatedHubs.ready;
import static io.cmws.cli.testing.FederatedHubs.recorder;
import static io.cmws.cli.testing.FederatedHubs.url;
import static io.cmws.cli.testing.FederatedHubs.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.testing.RawClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each {@code --federation-strategy} picks pools as docs/protocol.md says, with a parent hub and
 * two child hubs (alpha, beta) as real processes. Tasks wait at a gate so that the picks happen
 * while the pools hold what they were given.
 */
class FederationStrategiesIT {

  /** A parent with {@code parentOptions}, and children alpha and beta with their worker slots. */
  private record Federation(
      CmwsProcess parent, URI parentUrl, List<CmwsProcess> others, RawClient asker, Path gate)
      implements AutoCloseable {

    static Federation start(
        Path dir, int alphaSlots, int betaSlots, int localSlots, String... parentOptions)
        throws Exception {
      CmwsProcess parent = hub("central", parentOptions);
      URI url = url(parent);
      List<CmwsProcess> others = new ArrayList<>();
      Path log = dir.resolve("executions.log");
      Path gate = dir.resolve("gate");
      CmwsProcess alpha = hub("alpha", "--upstream", url.toString());
      CmwsProcess beta = hub("beta", "--upstream", url.toString());
      others.addAll(List.of(alpha, beta));
      others.add(worker(url(alpha), "job", alphaSlots, recorder("alpha", log, gate)));
      others.add(worker(url(beta), "job", betaSlots, recorder("beta", log, gate)));
      if (localSlots > 0) {
        others.add(worker(url, "job", localSlots, recorder("central", log, gate)));
      }
      RawClient asker = client(url);
      awaitPools(
          asker,
          hubs ->
              ready(hubs, "alpha", alphaSlots, "job")
                  && ready(hubs, "beta", betaSlots, "job")
                  && (localSlots == 0 || ready(hubs, "central", localSlots, "job")));
      return new Federation(parent, url, others, asker, gate);
    }

    /** Submits {@code count} tasks one after another; the pool each went to, in order. */
    List<String> submit(int count) throws Exception {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ids.add(
            asker
                .send(
                    "{\"type\":\"task:submit\",\"taskType\":\"job\",\"payload\":{\"i\":" + i + "}}")
                .expect("task:submitted")
                .get("taskId")
                .asText());
      }
      List<String> pools = new ArrayList<>();
      for (String id : ids) {
        JsonNode task =
            asker
                .send("{\"type\":\"task:get\",\"taskId\":\"" + id + "\"}")
                .expect("task:info")
                .get("task");
        assertEquals("assigned", task.get("state").asText(), task.toString());
        pools.add(task.path("hub").asText("central"));
      }
      return pools;
    }

    @Override
    public void close() {
      try {
        Files.createFile(gate); // the gated tasks end, and their shells with them
      } catch (IOException e) {
        // already open
      }
      asker.close();
      others.forEach(CmwsProcess::close);
      parent.close();
    }
  }

  private static Map<String, Integer> count(List<String> pools) {
    Map<String, Integer> counts = new HashMap<>();
    pools.forEach(pool -> counts.merge(pool, 1, Integer::sum));
    return counts;
  }

  @Test
  @Timeout(120)
  void priorityFillsTheHighestPriorityPoolFirstAndTheLocalOneHighestOfAll(@TempDir Path dir)
      throws Exception {
    try (Federation federation = Federation.start(dir, 4, 4, 1, "--hub-priority", "alpha=80")) {
      List<String> pools = federation.submit(7);
      // this hub's own workers (100), then alpha (80) until full, then beta (50)
      assertEquals(List.of("central", "alpha", "alpha", "alpha", "alpha", "beta", "beta"), pools);
      System.out.println("strategy priority: " + pools);
    }
  }

  @Test
  @Timeout(120)
  void roundRobinTakesThePoolsInTurn(@TempDir Path dir) throws Exception {
    try (Federation federation =
        Federation.start(dir, 4, 4, 0, "--federation-strategy", "round-robin")) {
      List<String> pools = federation.submit(6);
      assertEquals(List.of("alpha", "beta", "alpha", "beta", "alpha", "beta"), pools);
      System.out.println("strategy round-robin: " + pools);
    }
  }

  @Test
  @Timeout(120)
  void leastLoadedTakesThePoolWithTheMostFreeSlots(@TempDir Path dir) throws Exception {
    try (Federation federation =
        Federation.start(dir, 4, 2, 0, "--federation-strategy", "least-loaded")) {
      List<String> pools = federation.submit(4);
      // alpha has 4 free, beta 2: alpha twice, then one each as they tie at 2 and 1
      assertEquals(List.of("alpha", "alpha"), pools.subList(0, 2));
      assertEquals(Map.of("alpha", 3, "beta", 1), count(pools));
      System.out.println("strategy least-loaded: " + pools);
    }
  }

  @Test
  @Timeout(120)
  void weightedSplitsByWeight(@TempDir Path dir) throws Exception {
    Files.createFile(dir.resolve("gate")); // tasks finish at once: each pick sees both pools free
    try (Federation federation =
            Federation.start(
                dir, 4, 4, 0, "--federation-strategy", "weighted", "--hub-weight", "alpha=300");
        RawClient watcher = client(federation.parentUrl())) {
      watcher
          .send("{\"type\":\"subscribe\",\"channels\":[\"task:completed\"]}")
          .expect("subscribed");
      List<String> pools = new ArrayList<>();
      int tasks = 120;
      for (int i = 0; i < tasks; i++) {
        federation.asker().send("{\"type\":\"task:submit\",\"taskType\":\"job\",\"payload\":{}}");
        federation.asker().expect("task:submitted");
        pools.add(watcher.expect("event").get("data").path("hub").asText());
      }
      int alpha = count(pools).getOrDefault("alpha", 0);
      // 3:1 → 90 of 120 expected; 70-110 is more than four standard deviations either way
      assertTrue(alpha >= 70 && alpha <= 110, "alpha got " + alpha + " of " + tasks);
      assertEquals(tasks, alpha + count(pools).getOrDefault("beta", 0));
      System.out.println("strategy weighted 300:100: " + count(pools) + " of " + tasks);
    }
  }
}
