package io.cmws.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.FrameDecoder;
import io.cmws.protocol.Json;
import io.cmws.transport.WsEventFrame;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-message work of the hub's hot path, with 128-byte payloads: decoding a client's publish
 * frame, encoding an event once per publish, and what each further subscriber costs (a view of the
 * same bytes, {@code deliverToAnotherSubscriber}), against encoding per subscriber as a naive hub
 * would ({@code encodePerSubscriberNaive}).
 *
 * <p>Run: {@code mvn -q -pl server-lite -Pjmh test-compile exec:exec -Djmh.args=FrameCodec}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
  private static final String PAYLOAD = "x".repeat(100);

  private final String publishFrame =
      "{\"type\":\"publish\",\"channel\":\"session:42:prompt\",\"data\":{\"t\":123456789,\"p\":\""
          + PAYLOAD
          + "\"}}";
  private JsonNode data;
  private EventMessage event;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    data = Json.parse("{\"t\":123456789,\"p\":\"" + PAYLOAD + "\"}");
    event = new EventMessage("session:42:prompt", data, 1_700_000_000_000L, 1);
    WsEventFrame.of(event, "session:*");
  }

  @Benchmark
  public ClientFrame decodePublish() {
    return FrameDecoder.decode(publishFrame);
  }

  /** What a publish costs once, whatever the number of subscribers. */
  @Benchmark
  public ByteBuffer encodeEventOnce() {
    return WsEventFrame.of(
        new EventMessage("session:42:prompt", data, 1_700_000_000_000L, 1), "session:*");
  }

  /** What each further subscriber on the same pattern costs. */
  @Benchmark
  public ByteBuffer deliverToAnotherSubscriber() {
    return WsEventFrame.of(event, "session:*");
  }

  /** For contrast: serialising the whole event again for every subscriber. */
  @Benchmark
  public String encodePerSubscriberNaive() {
    return Json.write(
        Json.object()
            .put("type", "event")
            .put("channel", "session:42:prompt")
            .put("pattern", "session:*")
            .<com.fasterxml.jackson.databind.node.ObjectNode>set("data", data)
            .put("timestamp", 1_700_000_000_000L));
  }
}
