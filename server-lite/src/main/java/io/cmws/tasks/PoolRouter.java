package io.cmws.tasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Picks the pool a task goes to among those that can run it now: this hub's own workers (one pool)
 * and each federated hub. The task's preferences narrow the candidates where any match (hub name,
 * then region, then labels), then the {@link FederationStrategy} picks. Not thread-safe: the
 * dispatcher's lock guards it.
 */
final class PoolRouter {
  /** One pool that could take the task; {@code slot} is the worker or hub it would go to. */
  record Candidate(
      String name,
      String hubId,
      int priority,
      int weight,
      PoolHealth health,
      int free,
      double latencyMs,
      String region,
      Map<String, String> labels,
      WorkerSlot slot) {}

  private FederationPolicy policy;
  private final DoubleSupplier random;
  private final Map<String, Integer> turns = new HashMap<>();

  PoolRouter(FederationPolicy policy, DoubleSupplier random) {
    this.policy = policy;
    this.random = random;
  }

  void policy(FederationPolicy newPolicy) {
    this.policy = newPolicy;
  }

  FederationPolicy policy() {
    return policy;
  }

  /** The local pool, represented by its first free worker; {@code free} across its workers. */
  Candidate local(WorkerSlot first, int free) {
    return new Candidate(
        policy.localName(),
        null,
        FederationPolicy.LOCAL_PRIORITY,
        FederationPolicy.WEIGHT,
        PoolHealth.HEALTHY,
        free,
        0,
        policy.region(),
        policy.labels(),
        first);
  }

  Candidate hub(WorkerSlot slot) {
    Pool pool = slot.pool;
    return new Candidate(
        pool.name,
        pool.hubId,
        pool.priority,
        pool.weight,
        pool.health,
        pool.free(slot.held.size()),
        pool.latencyMs,
        pool.region,
        pool.labels,
        slot);
  }

  /** The chosen candidate, or null if there is none. */
  WorkerSlot choose(String capability, List<Candidate> candidates, TaskRouting routing) {
    List<Candidate> narrowed = narrow(candidates, routing);
    if (narrowed.isEmpty()) {
      return null;
    }
    return switch (policy.strategy()) {
      case PRIORITY ->
          narrowed.stream()
              .max(Comparator.comparingInt(c -> c.priority() + c.health().bonus()))
              .orElseThrow()
              .slot();
      case WEIGHTED -> weighted(narrowed);
      case ROUND_ROBIN -> roundRobin(capability, narrowed);
      case LEAST_LOADED ->
          narrowed.stream()
              .min(
                  Comparator.comparingInt((Candidate c) -> -c.free())
                      .thenComparingDouble(c -> Double.isNaN(c.latencyMs()) ? 0 : c.latencyMs()))
              .orElseThrow()
              .slot();
    };
  }

  /** Each preference narrows only when some candidate matches it (claude-mem's router). */
  private static List<Candidate> narrow(List<Candidate> candidates, TaskRouting routing) {
    List<Candidate> out = candidates;
    if (routing.preferHub() != null) {
      out =
          keepIfAny(
              out,
              c -> routing.preferHub().equals(c.name()) || routing.preferHub().equals(c.hubId()));
    }
    if (routing.region() != null) {
      out = keepIfAny(out, c -> routing.region().equals(c.region()));
    }
    if (!routing.labels().isEmpty()) {
      out =
          keepIfAny(
              out,
              c ->
                  c.labels() != null
                      && c.labels().entrySet().containsAll(routing.labels().entrySet()));
    }
    return out;
  }

  private static List<Candidate> keepIfAny(
      List<Candidate> candidates, java.util.function.Predicate<Candidate> matches) {
    List<Candidate> kept = candidates.stream().filter(matches).toList();
    return kept.isEmpty() ? candidates : kept;
  }

  private WorkerSlot weighted(List<Candidate> candidates) {
    List<Candidate> eligible = new ArrayList<>();
    double total = 0;
    for (Candidate c : candidates) {
      if (c.health() == PoolHealth.HEALTHY || c.health() == PoolHealth.DEGRADED) {
        eligible.add(c);
        total += effectiveWeight(c);
      }
    }
    if (eligible.isEmpty() || total <= 0) {
      return candidates.get(0).slot();
    }
    double point = random.getAsDouble() * total;
    for (Candidate c : eligible) {
      point -= effectiveWeight(c);
      if (point < 0) {
        return c.slot();
      }
    }
    return eligible.get(eligible.size() - 1).slot();
  }

  private static double effectiveWeight(Candidate c) {
    return c.health() == PoolHealth.DEGRADED ? c.weight() / 2.0 : c.weight();
  }

  private WorkerSlot roundRobin(String capability, List<Candidate> candidates) {
    List<Candidate> ordered =
        candidates.stream().sorted(Comparator.comparing(Candidate::name)).toList();
    int turn = turns.merge(capability, 1, Integer::sum) - 1;
    return ordered.get(Math.floorMod(turn, ordered.size())).slot();
  }
}
