package io.cmws.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pool choice on its own: preferences narrow only where something matches; strategies pick. */
class PoolRouterTest {
  private static final TaskRouting ANY = TaskRouting.ANY;

  private static PoolRouter.Candidate pool(
      String name, int priority, int weight, PoolHealth health, int free, String region) {
    WorkerSlot slot =
        new WorkerSlot(
            new TaskPeer() {
              @Override
              public String id() {
                return "hub:" + name;
              }

              @Override
              public boolean send(io.cmws.protocol.ServerFrame frame) {
                return true;
              }
            },
            List.of("gpu"),
            0,
            new Pool(name, priority, weight));
    return new PoolRouter.Candidate(
        name,
        "id-" + name,
        priority,
        weight,
        health,
        free,
        Double.NaN,
        region,
        Map.of("gpu", name.startsWith("a") ? "a100" : "t4"),
        slot);
  }

  private static PoolRouter router(FederationStrategy strategy, double... randoms) {
    List<Double> values = new ArrayList<>();
    for (double r : randoms) {
      values.add(r);
    }
    return new PoolRouter(
        FederationPolicy.standard().withStrategy(strategy),
        () -> values.isEmpty() ? 0.5 : values.remove(0));
  }

  private static String pick(PoolRouter router, TaskRouting routing, PoolRouter.Candidate... all) {
    WorkerSlot slot = router.choose("gpu", List.of(all), routing);
    return slot == null ? null : slot.pool.name;
  }

  @Test
  void priorityAddsTheHealthBonusAsClaudeMemDoes() {
    PoolRouter router = router(FederationStrategy.PRIORITY);
    PoolRouter.Candidate healthy = pool("alpha", 50, 100, PoolHealth.HEALTHY, 1, null);
    PoolRouter.Candidate degraded = pool("beta", 90, 100, PoolHealth.DEGRADED, 1, null);
    assertEquals("alpha", pick(router, ANY, healthy, degraded), "50+100 beats 90+50");
  }

  @Test
  void preferencesNarrowOnlyWhenSomethingMatches() {
    PoolRouter router = router(FederationStrategy.PRIORITY);
    PoolRouter.Candidate alpha = pool("alpha", 50, 100, PoolHealth.HEALTHY, 1, "eu");
    PoolRouter.Candidate beta = pool("beta", 60, 100, PoolHealth.HEALTHY, 1, "us");
    assertEquals("beta", pick(router, ANY, alpha, beta));
    assertEquals("alpha", pick(router, new TaskRouting("alpha", null, null), alpha, beta));
    assertEquals("alpha", pick(router, new TaskRouting(null, "eu", null), alpha, beta));
    assertEquals(
        "alpha", pick(router, new TaskRouting(null, null, Map.of("gpu", "a100")), alpha, beta));
    assertEquals(
        "beta",
        pick(router, new TaskRouting("nobody", "mars", Map.of("gpu", "h100")), alpha, beta),
        "no match narrows nothing");
    assertNull(pick(router, ANY));
  }

  @Test
  void weightedPicksInProportionAndHalvesDegradedWeights() {
    PoolRouter.Candidate alpha = pool("alpha", 50, 300, PoolHealth.HEALTHY, 1, null);
    PoolRouter.Candidate beta = pool("beta", 50, 200, PoolHealth.DEGRADED, 1, null);
    // total 300 + 100: a draw below 0.75 lands on alpha
    assertEquals("alpha", pick(router(FederationStrategy.WEIGHTED, 0.74), ANY, alpha, beta));
    assertEquals("beta", pick(router(FederationStrategy.WEIGHTED, 0.76), ANY, alpha, beta));
  }

  @Test
  void roundRobinTurnsPerCapabilityInNameOrder() {
    PoolRouter router = router(FederationStrategy.ROUND_ROBIN);
    PoolRouter.Candidate beta = pool("beta", 50, 100, PoolHealth.HEALTHY, 1, null);
    PoolRouter.Candidate alpha = pool("alpha", 50, 100, PoolHealth.HEALTHY, 1, null);
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picks.add(pick(router, ANY, beta, alpha));
    }
    assertEquals(List.of("alpha", "beta", "alpha", "beta"), picks);
  }

  @Test
  void leastLoadedTakesTheMostFreeSlots() {
    PoolRouter router = router(FederationStrategy.LEAST_LOADED);
    PoolRouter.Candidate alpha = pool("alpha", 90, 100, PoolHealth.HEALTHY, 1, null);
    PoolRouter.Candidate beta = pool("beta", 10, 100, PoolHealth.HEALTHY, 3, null);
    assertEquals("beta", pick(router, ANY, alpha, beta));
  }

  @Test
  void aCmwsHubsFreeSlotsCountWhatWasSentSinceItsReportExactly() {
    Pool pool = new Pool("alpha", 50, 100);
    pool.report(new PoolReport("healthy", List.of("gpu"), 4, 1, 0, null, List.of("t1")), 0);
    assertEquals(4, pool.free(1), "it held t1 when it reported: nothing in flight");
    assertEquals(2, pool.free(3), "two sent since");
    assertEquals(4, pool.free(0), "t1 finished since: its slot is not counted twice");

    Pool claudeMem = new Pool("cm", 50, 100);
    claudeMem.report(new PoolReport("healthy", List.of("gpu"), null, 3, 1, null, null), 0);
    assertEquals(2, claudeMem.free(0), "claude-mem: idle workers");
    claudeMem.sentSinceReport = 2;
    assertEquals(0, claudeMem.free(2));
  }
}
