package io.cmws.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.cli.testing.CliRun;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import io.cmws.testing.StalledClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 50 stalled subscribers and one healthy one while 100 000 events are published, on a hub whose
 * heap is capped: memory stays bounded, the healthy subscriber gets every event in order, the
 * stalled ones are handled by the policy and counted.
 */
class SlowConsumerIT {
  static final int EVENTS = 100_000;
  static final int STALLED = 50;

  /** The bound: without outbox limits 50 stalled subscribers would hold ~1.5 GB of frames. */
  static final String HEAP = "-Xmx128m";

  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

  /** Counts events and checks their seq without parsing JSON, to keep up with the hub. */
  static final class Healthy extends WebSocketClient {
    final AtomicLong received = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    final CountDownLatch subscribed = new CountDownLatch(1);
    final CountDownLatch all = new CountDownLatch(1);
    private long lastSeq;

    Healthy(URI url) {
      super(url);
      setConnectionLostTimeout(0);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
      send("{\"type\":\"auth\"}");
      send("{\"type\":\"subscribe\",\"channels\":[\"load:*\"]}");
    }

    @Override
    public void onMessage(String message) {
      if (message.startsWith("{\"type\":\"event\"")) {
        Matcher seq = SEQ.matcher(message);
        long value = seq.find() ? Long.parseLong(seq.group(1)) : -1;
        if (value != lastSeq + 1) {
          outOfOrder.incrementAndGet();
        }
        lastSeq = value;
        if (received.incrementAndGet() == EVENTS) {
          all.countDown();
        }
      } else if (message.contains("\"subscribed\"")) {
        subscribed.countDown();
      } else if (message.contains("\"ping\"")) {
        send("{\"type\":\"pong\"}");
      }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {}

    @Override
    public void onError(Exception ex) {}
  }

  private static String metrics(String adminUrl) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(adminUrl + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static long metric(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)").matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static String payloadLines() {
    StringBuilder lines = new StringBuilder(EVENTS * 140);
    String pad = "x".repeat(100);
    for (int i = 1; i <= EVENTS; i++) {
      lines.append("{\"i\":").append(i).append(",\"pad\":\"").append(pad).append("\"}\n");
    }
    return lines.toString();
  }

  private void run(String policy, boolean stalledAreDisconnected) throws Exception {
    try (CmwsProcess hub =
        CmwsProcess.startWithJvm(
            List.of(HEAP), "serve", "--port", "0", "--json", "--slow-consumer", policy)) {
      var listening = Json.parse(hub.out.next(Duration.ofSeconds(20)));
      URI url = URI.create(listening.get("url").asText());
      String admin = listening.get("adminUrl").asText();
      List<StalledClient> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < STALLED; i++) {
          stalled.add(StalledClient.subscribe(url, "load:*"));
        }
        Healthy healthy = new Healthy(url);
        assertTrue(healthy.connectBlocking(10, TimeUnit.SECONDS));
        assertTrue(healthy.subscribed.await(10, TimeUnit.SECONDS));

        CliRun publish =
            CliRun.start(
                payloadLines(),
                Map.of(),
                "publish",
                "load:stream",
                "-",
                "-q",
                "--url",
                url.toString());
        assertEquals(0, publish.exitCode(Duration.ofSeconds(120)), publish.stderr().toString());
        assertTrue(
            healthy.all.await(60, TimeUnit.SECONDS), "healthy got " + healthy.received.get());
        assertEquals(0, healthy.outOfOrder.get(), "every event, in seq order, no gap");

        String metrics = metrics(admin);
        assertEquals(EVENTS, metric(metrics, "cmws_events_published_total"));
        assertTrue(hub.isAlive(), "the hub survived with " + HEAP);
        long slow = metric(metrics, "cmws_slow_consumers_total{policy=\"" + policy + "\"}");
        if (stalledAreDisconnected) {
          assertEquals(STALLED, slow, metrics);
          assertEquals(0, metric(metrics, "cmws_events_dropped_total"));
        } else {
          assertEquals(-1, slow, "nobody was disconnected");
          assertTrue(metric(metrics, "cmws_events_dropped_total") > 0, metrics);
        }
        long heapUsed = metric(metrics, "cmws_jvm_heap_used_bytes");
        assertTrue(heapUsed < 128L * 1024 * 1024, "heap in use " + heapUsed);
        healthy.close();
      } finally {
        for (StalledClient client : stalled) {
          client.close();
        }
      }
    }
  }

  @Test
  @Timeout(180)
  void disconnectPolicyClosesStalledSubscribers() throws Exception {
    run("disconnect", true);
  }

  @Test
  @Timeout(180)
  void dropOldestPolicyKeepsThemButBoundsMemory() throws Exception {
    run("drop-oldest", false);
  }
}
