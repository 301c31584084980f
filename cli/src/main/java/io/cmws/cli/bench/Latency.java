package io.cmws.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.Json;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latencies recorded from any thread (HdrHistogram), reported in milliseconds. */
final class Latency {
  private final Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(5), 3);
  private final Histogram total = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);

  void record(long nanos) {
    recorder.recordValue(Math.max(0, Math.min(nanos, TimeUnit.MINUTES.toNanos(5))));
  }

  /** Moves what was recorded so far into the total. Call from one thread. */
  synchronized Histogram snapshot() {
    total.add(recorder.getIntervalHistogram());
    return total;
  }

  /** Forgets everything recorded so far, e.g. after a warm-up. */
  synchronized void reset() {
    recorder.getIntervalHistogram();
    total.reset();
  }

  ObjectNode toJson() {
    Histogram h = snapshot();
    ObjectNode out = Json.object();
    out.put("count", h.getTotalCount());
    out.put("p50", ms(h.getValueAtPercentile(50)));
    out.put("p90", ms(h.getValueAtPercentile(90)));
    out.put("p99", ms(h.getValueAtPercentile(99)));
    out.put("p999", ms(h.getValueAtPercentile(99.9)));
    out.put("max", ms(h.getMaxValue()));
    return out;
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
