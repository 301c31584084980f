package io.cmws.bench;

import io.cmws.hub.ConcurrentSubscriptionIndex;
import io.cmws.testing.NaiveMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of matching one published channel against {@code patterns} distinct subscriptions. The
 * patterns mix literals, trailing and middle wildcards across many prefixes, as many tenants or
 * sessions would; the published channel matches four of them whatever their number. {@code
 * naiveScan} is the reference's linear scan (its B17), for contrast.
 *
 * <p>Run: {@code mvn -q -pl server-lite -Pjmh test-compile exec:exec -Djmh.args=SubscriptionIndex}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubscriptionIndexBenchmark {

  @Param({"10", "1000", "100000"})
  int patterns;

  private ConcurrentSubscriptionIndex<Object> index;
  private List<String> patternList;
  private final String channel = "session:7:started";

  @Setup(Level.Trial)
  public void build() {
    index = new ConcurrentSubscriptionIndex<>();
    patternList = new ArrayList<>();
    // four patterns that match the channel, present at every size
    add("session:*");
    add("*");
    add("session:*:started");
    add("session:7:started");
    for (int i = 0; patternList.size() < Math.max(patterns, 4); i++) {
      switch (i % 4) {
        case 0 -> add("tenant" + i + ":session:*");
        case 1 -> add("session:" + (i + 1000) + ":*");
        case 2 -> add("task:" + i + ":*:failed");
        default -> add("user" + i + ":" + "prompt:new");
      }
    }
  }

  private void add(String pattern) {
    patternList.add(pattern);
    index.add(pattern, new Object());
  }

  @Benchmark
  public int trieMatch() {
    return index.match(channel).size();
  }

  @Benchmark
  public int naiveScan() {
    int matched = 0;
    for (String pattern : patternList) {
      if (NaiveMatcher.matches(pattern, channel)) {
        matched++;
      }
    }
    return matched;
  }
}
