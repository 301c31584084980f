package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.awaitility.Awaitility;

/**
 * Random and malformed frames from several clients at once, interleaved with well-behaved traffic,
 * against one hub for the whole run (60 tries x 4 clients x 50 frames = 12 000 frames). After every
 * try: the hub is up, the well-behaved subscriber got exactly the events meant for it, in order,
 * and the well-behaved task completed exactly once. At the end: memory and connections stays
 * bounded and every connection is gone.
 */
class FuzzIT {
  private static final int CLIENTS = 4;
  private static final int FRAMES = 50;
  private static final AtomicLong FRAMES_SENT = new AtomicLong();
  private static TestHub hub;
  private static long heapBefore;

  private static final List<String> TYPES =
      List.of(
          "auth",
          "subscribe",
          "unsubscribe",
          "publish",
          "ping",
          "pong",
          "heartbeat",
          "register",
          "task:submit",
          "task:complete",
          "task:error",
          "task:progress",
          "task:get",
          "task:list",
          "task:cancel",
          "drain",
          "workers",
          "channels",
          "stats",
          "history",
          "shutdown",
          "auth:success",
          "event",
          "error",
          "",
          "\u0000",
          "subscribe\n");

  @BeforeContainer
  static void startHub() throws Exception {
    hub = TestHub.start();
    heapBefore = heapAfterGc();
  }

  @AfterContainer
  static void stopHub() throws Exception {
    // every client of every try has closed; the hub must have let go of all of them
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> hub.server().hub().connections().isEmpty());
    long heapAfter = heapAfterGc();
    System.out.println(
        "fuzz: "
            + FRAMES_SENT.get()
            + " random frames; heap after GC "
            + heapBefore / 1024
            + " KiB -> "
            + heapAfter / 1024
            + " KiB; no connection left open");
    hub.close();
    assertTrue(FRAMES_SENT.get() >= 10_000, "at least 10 000 random frames: " + FRAMES_SENT.get());
    assertTrue(
        heapAfter - heapBefore < 64L * 1024 * 1024,
        "memory stays bounded: " + heapBefore + " -> " + heapAfter);
  }

  private static long heapAfterGc() {
    System.gc();
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  @Property(tries = 60)
  void hostileFramesBreakNothingForOthers(@ForAll("batches") List<List<Object>> batches)
      throws Exception {
    String channel = "good:" + UUID.randomUUID(); // nothing random can guess it
    String capability = "cap-" + UUID.randomUUID();
    try (RawClient subscriber = hub.subscriber(channel);
        RawClient publisher = hub.subscriber();
        RawClient worker = RawClient.connect(hub.url())) {
      worker.expect("connection:pending");
      worker
          .send("{\"type\":\"register\",\"capabilities\":[\"" + capability + "\"]}")
          .expect("registered");
      List<RawClient> hostile = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        hostile.add(RawClient.connect(hub.url()));
      }
      String taskId =
          publisher
              .send("{\"type\":\"task:submit\",\"taskType\":\"" + capability + "\",\"watch\":true}")
              .expect("task:submitted")
              .get("taskId")
              .asText();
      int published = 0;
      for (int i = 0; i < FRAMES; i++) {
        for (int c = 0; c < CLIENTS; c++) {
          RawClient client = hostile.get(c);
          if (!client
              .isOpen()) { // closed for its sins (too big, shutdown, ...): the next one comes
            client = RawClient.connect(hub.url());
            hostile.set(c, client);
          }
          Object frame = batches.get(c).get(i);
          try {
            if (frame instanceof byte[] bytes) {
              client.sendBinary(bytes);
            } else {
              client.send((String) frame);
            }
            FRAMES_SENT.incrementAndGet();
          } catch (org.java_websocket.exceptions.WebsocketNotConnectedException closedMeanwhile) {
            // the hub closed it between the check and the send
          }
        }
        if (i % 5 == 0) {
          publisher.send(
              "{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + published + "}");
          published++;
        }
      }
      JsonNode assign = worker.expect("task:assign");
      assertEquals(taskId, assign.get("task").get("id").asText());
      worker.send("{\"type\":\"task:complete\",\"taskId\":\"" + taskId + "\",\"result\":\"ok\"}");

      long lastSeq = 0;
      for (int n = 0; n < published; n++) {
        JsonNode event = subscriber.expect("event");
        assertEquals(channel, event.get("channel").asText());
        assertEquals(n, event.get("data").asInt(), "every event meant for it, in order");
        assertTrue(event.get("seq").asLong() == lastSeq + 1, "no gap: " + event);
        lastSeq = event.get("seq").asLong();
      }
      int results = 0;
      int acks = 0;
      while (acks < published || results < 1) {
        JsonNode frame = publisher.next();
        switch (frame.path("type").asText()) {
          case "published" -> acks++;
          case "task:result" -> {
            results++;
            assertEquals("completed", frame.get("state").asText());
          }
          default -> {}
        }
      }
      assertEquals(1, results, "the task completed once");
      for (RawClient client : hostile) {
        client.close();
      }
      try (RawClient fresh = hub.subscriber()) {
        fresh.send("{\"type\":\"ping\"}").expect("pong"); // the hub still answers newcomers
      }
    }
  }

  @Provide
  Arbitrary<List<List<Object>>> batches() {
    return frame().list().ofSize(FRAMES).list().ofSize(CLIENTS);
  }

  private static Arbitrary<Object> frame() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, typedFrame().map(f -> (Object) f)),
        net.jqwik.api.Tuple.of(2, json(3).map(j -> (Object) Json.write(j))),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(200).map(t -> (Object) t)),
        net.jqwik.api.Tuple.of(
            1, typedFrame().map(f -> (Object) f.substring(0, f.length() / 2))), // cut short
        net.jqwik.api.Tuple.of(
            1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> (Object) b)),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.integers()
                .between(100_000, 200_000)
                .map(
                    n ->
                        (Object)
                            ("{\"type\":\"publish\",\"channel\":\"big\",\"data\":\""
                                + "y".repeat(n)
                                + "\"}"))));
  }

  /** A frame with a known (or nearly known) type and fields of random shape. */
  private static Arbitrary<String> typedFrame() {
    Arbitrary<String> field =
        Arbitraries.of(
            "channels",
            "channel",
            "data",
            "token",
            "clientType",
            "taskId",
            "taskType",
            "payload",
            "capabilities",
            "metadata",
            "recover",
            "last",
            "since",
            "after",
            "epoch",
            "priority",
            "maxRetries",
            "timeoutMs",
            "result",
            "error",
            "retryable",
            "progress",
            "workerId",
            "sessionId",
            "id",
            "limit",
            "state",
            "fallbackCapabilities",
            "deduplicationKey",
            "watch",
            "currentTasks");
    return Arbitraries.of(TYPES)
        .flatMap(
            type ->
                Arbitraries.maps(field, json(2))
                    .ofMaxSize(4)
                    .map(
                        fields -> {
                          var node = Json.object().put("type", type);
                          fields.forEach(node::set);
                          return Json.write(node);
                        }));
  }

  private static Arbitrary<JsonNode> json(int depth) {
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .ofMaxLength(30)
                .map(s -> (JsonNode) Json.MAPPER.getNodeFactory().textNode(s)),
            Arbitraries.of("*", "session:*", "a:b", ":", "", "::", "x*y", "task:queued", "*:*")
                .map(s -> (JsonNode) Json.MAPPER.getNodeFactory().textNode(s)),
            Arbitraries.longs().map(n -> (JsonNode) Json.MAPPER.getNodeFactory().numberNode(n)),
            Arbitraries.doubles().map(n -> (JsonNode) Json.MAPPER.getNodeFactory().numberNode(n)),
            Arbitraries.of(true, false)
                .map(b -> (JsonNode) Json.MAPPER.getNodeFactory().booleanNode(b)),
            Arbitraries.just((JsonNode) Json.MAPPER.getNodeFactory().nullNode()));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<JsonNode> array =
        json(depth - 1)
            .list()
            .ofMaxSize(4)
            .map(
                items -> {
                  var node = Json.MAPPER.createArrayNode();
                  items.forEach(node::add);
                  return (JsonNode) node;
                });
    Arbitrary<JsonNode> object =
        Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), json(depth - 1))
            .ofMaxSize(4)
            .map(
                fields -> {
                  var node = Json.object();
                  fields.forEach(node::set);
                  return (JsonNode) node;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, leaf),
        net.jqwik.api.Tuple.of(1, array),
        net.jqwik.api.Tuple.of(1, object));
  }
}
