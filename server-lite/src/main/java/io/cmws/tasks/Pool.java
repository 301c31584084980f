package io.cmws.tasks;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A federated hub as one worker pool, as its registration and health reports describe it, and what
 * was sent to it since. Its worker id on this hub is {@code hub:NAME}. Guarded by the dispatcher's
 * lock.
 */
final class Pool {
  static final String ID_PREFIX = "hub:";

  final String name;
  String hubId;
  String region;
  Map<String, String> labels;
  int priority;
  int weight;
  PoolHealth health = PoolHealth.HEALTHY;
  int reportedFree;
  int sentSinceReport;

  /** How many of our tasks it said it holds (a cmws hub); null if it does not say. */
  Integer reportedHolding;

  /**
   * It came back on a new link holding these of ours: its next report of what it runs settles which
   * of them the old link lost. Null when there is nothing to settle.
   */
  Set<String> sentOnOldLink;

  int connectedWorkers;
  int activeWorkers;
  double latencyMs = Double.NaN;
  long lastReportMillis;
  boolean online = true;

  /** Capabilities it said no to ("no worker available") since its last report. */
  final Set<String> declined = new HashSet<>();

  Pool(String name, int priority, int weight) {
    this.name = name;
    this.priority = priority;
    this.weight = weight;
  }

  static String idOf(String name) {
    return ID_PREFIX + name;
  }

  /**
   * Slots it can take more work in, as far as this hub knows, given the {@code held} tasks it has
   * of ours now. A cmws hub says how many of ours it held when it reported, so what was sent since
   * is exact; for claude-mem's hub, count what was sent since its report.
   */
  int free(int held) {
    boolean takes = online && health != PoolHealth.UNHEALTHY && health != PoolHealth.OFFLINE;
    if (!takes) {
      return 0;
    }
    int inFlight = reportedHolding == null ? sentSinceReport : Math.max(0, held - reportedHolding);
    return Math.max(0, reportedFree - inFlight);
  }

  /** The capability of {@code task} this pool was chosen for: the required one, else a fallback. */
  String matchedCapability(TaskQueue.Claimed task, java.util.List<String> capabilities) {
    if (capabilities.contains(task.capability())) {
      return task.capability();
    }
    return task.fallbacks().stream()
        .filter(capabilities::contains)
        .findFirst()
        .orElse(task.capability());
  }

  /** A report from the hub: what it can do and how much room it has now. */
  void report(PoolReport report, long nowMillis) {
    health = PoolHealth.parse(report.status());
    if (report.freeSlots() != null) {
      reportedFree = report.freeSlots();
    } else if (report.connectedWorkers() != null) {
      // claude-mem's hub reports workers, each of which takes one task at a time
      int active = report.activeWorkers() == null ? 0 : report.activeWorkers();
      reportedFree = Math.max(0, report.connectedWorkers() - active);
    }
    if (report.connectedWorkers() != null) {
      connectedWorkers = report.connectedWorkers();
    }
    if (report.activeWorkers() != null) {
      activeWorkers = report.activeWorkers();
    }
    if (report.avgLatencyMs() != null) {
      latencyMs = report.avgLatencyMs();
    }
    sentSinceReport = 0;
    reportedHolding = report.running() == null ? null : report.running().size();
    declined.clear();
    lastReportMillis = nowMillis;
  }
}
