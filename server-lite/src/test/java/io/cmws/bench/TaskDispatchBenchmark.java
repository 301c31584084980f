package io.cmws.bench;

import com.fasterxml.jackson.databind.node.TextNode;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.InMemoryTaskQueue;
import io.cmws.tasks.RetryPolicy;
import io.cmws.tasks.TaskDefaults;
import io.cmws.tasks.TaskDispatcher;
import io.cmws.tasks.TaskPeer;
import io.cmws.tasks.TaskRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
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
 * One task's way through the dispatcher, without the network: submit, assignment to a free slot of
 * a capable worker, completion. {@code waiting} tasks of another type sit in the queue and {@code
 * workers} workers (32 slots each; all but one with capabilities of their own) are registered, so
 * the cost shows whether dispatch scans them.
 *
 * <p>Run: {@code mvn -q -pl server-lite -Pjmh test-compile exec:exec -Djmh.args=TaskDispatch}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TaskDispatchBenchmark {
  @Param({"0", "10000"})
  int waiting;

  @Param({"1", "100"})
  int workers;

  private TaskDispatcher dispatcher;
  private Worker worker;
  private TaskRequest request;

  /** A worker that remembers what it was assigned, so the benchmark can complete it. */
  static final class Worker implements TaskPeer {
    final String id;
    final ArrayDeque<String> assigned = new ArrayDeque<>();

    Worker(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public boolean send(ServerFrame frame) {
      if (frame instanceof ServerFrame.TaskAssign assign) {
        assigned.add(assign.task().id());
      }
      return true;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    TaskDefaults defaults =
        new TaskDefaults(new RetryPolicy(Duration.ZERO, Duration.ZERO, 0), Map.of());
    dispatcher =
        new TaskDispatcher(
            new InMemoryTaskQueue(defaults, waiting + 1000, 1000),
            (channel, data) -> {},
            Clock.systemUTC());
    for (int i = 0; i < waiting; i++) {
      dispatcher.submit(request("backlog:" + (i % 50)), null);
    }
    for (int i = 1; i < workers; i++) {
      dispatcher.workerRegistered(new Worker("other-" + i), List.of("other:" + i), 32);
    }
    worker = new Worker("bench");
    dispatcher.workerRegistered(worker, List.of("bench:noop"), 32);
    request = request("bench:noop");
  }

  private static TaskRequest request(String type) {
    return new TaskRequest(
        type, TextNode.valueOf("p"), type, List.of(), 50, 1, 60_000, null, null, "local");
  }

  /** Submit one task and complete whatever it was assigned to. */
  @Benchmark
  public int submitAssignComplete() {
    dispatcher.submit(request, null);
    String id = worker.assigned.poll();
    dispatcher.complete(worker, id, TextNode.valueOf("ok"));
    return worker.assigned.size();
  }
}
