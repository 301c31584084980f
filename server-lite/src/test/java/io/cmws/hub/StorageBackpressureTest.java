package io.cmws.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.Json;
import io.cmws.tasks.TaskQueue;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the storage cannot keep up, publishes and submissions are refused with the reason, not
 * queued without bound.
 */
@Timeout(10)
class StorageBackpressureTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final AtomicReference<String> unavailable = new AtomicReference<>();
  private final List<EventMessage> stored = new CopyOnWriteArrayList<>();
  private final HubConfig config = HubConfig.defaults();
  private final Hub hub =
      new Hub(
          config,
          Clock.systemUTC(),
          System::nanoTime,
          scheduler,
          "test",
          new HubStorage() {
            private final TaskQueue queue = config.tasks().newQueue();

            @Override
            public TaskQueue queue() {
              return queue;
            }

            @Override
            public String epoch() {
              return "e1";
            }

            @Override
            public void published(EventMessage event) {
              stored.add(event);
            }

            @Override
            public String unavailable() {
              return unavailable.get();
            }

            @Override
            public void pruneFinishedBefore(long cutoffMillis) {}

            @Override
            public void close() {}
          });

  /** Keeps what the hub sends. */
  static final class Sink implements FrameSink {
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();

    @Override
    public boolean sendText(String json) {
      try {
        frames.add(Json.parse(json));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return true;
    }

    @Override
    public boolean sendEvent(EventMessage event, String pattern) {
      return sendText(event.eventJson(pattern));
    }

    @Override
    public void close(int code, String reason) {}

    @Override
    public boolean isOpen() {
      return true;
    }

    JsonNode last() {
      return frames.get(frames.size() - 1);
    }
  }

  @AfterEach
  void stop() {
    hub.close();
    scheduler.shutdownNow();
  }

  private Sink client() {
    Sink sink = new Sink();
    Connection connection = hub.open(sink, new RemotePeer("127.0.0.1", true, null));
    hub.receive(connection, "{\"type\":\"auth\",\"clientType\":\"browser\"}");
    return sink;
  }

  @Test
  void publishesAndSubmissionsAreRefusedWhileTheStoreIsBehindAndTakenAgainAfterwards() {
    Sink sink = client();
    Connection connection = hub.connections().iterator().next();
    unavailable.set(
        "the store is behind: 200001 changes wait to be written to disk; retry shortly");

    hub.receive(
        connection, "{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"demo:x\",\"data\":1}");
    JsonNode error = sink.last();
    assertEquals("error", error.get("type").asText(), error.toString());
    assertEquals("unavailable", error.get("code").asText(), error.toString());
    assertTrue(error.get("message").asText().contains("the store is behind"), error.toString());
    hub.receive(
        connection, "{\"type\":\"task:submit\",\"id\":\"s1\",\"taskType\":\"t\",\"payload\":{}}");
    assertEquals("unavailable", sink.last().get("code").asText(), sink.last().toString());
    assertEquals(0, stored.size(), "nothing was taken");

    unavailable.set(null);
    hub.receive(
        connection, "{\"type\":\"publish\",\"id\":\"p2\",\"channel\":\"demo:x\",\"data\":2}");
    assertEquals("published", sink.last().get("type").asText(), sink.last().toString());
    assertEquals(1, stored.size());
  }
}
