package io.cmws.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cmws subscribe} processes resume across {@code kill -9} of the hub on its embedded store:
 * no event is printed twice, every stored event is printed once, and whatever a subscriber misses
 * lies in a seq range the hub named as possibly lost.
 */
class ExactResumeAcrossKillsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int KILLS = 20;

  /** One printed or stored event: where the hub put it, and which publish it was. */
  private record Seen(String channel, long seq, long n) {
    String position() {
      return channel + "#" + seq;
    }
  }

  private static CmwsProcess hub(Path data, int port) throws Exception {
    return CmwsProcess.durableHub(data, port, "--history-size", "100000");
  }

  private static CmwsProcess subscriber(URI url) throws Exception {
    CmwsProcess subscriber =
        CmwsProcess.start("subscribe", "k:*", "--json", "--url", url.toString());
    subscriber.err.await("subscribed to", WAIT);
    return subscriber;
  }

  private static String publishFrame(String channel, long n) {
    return "{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"n\":" + n + "}}";
  }

  @Test
  @Timeout(300)
  void subscribersPrintEveryStoredEventOnceAndMissOnlyWhatTheHubNamedLost(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    CmwsProcess hub = hub(data, 0);
    URI url = URI.create(Json.parse(hub.out.next(WAIT)).get("url").asText());
    int port = url.getPort();
    long n = 0;
    try (CmwsProcess first = subscriber(url);
        CmwsProcess second = subscriber(url)) {
      for (int kill = 0; kill < KILLS; kill++) {
        try (RawClient publisher = RawClient.greeted(url)) {
          publisher.send("{\"type\":\"auth\"}").expect("auth:success");
          int count = 20 + random.nextInt(300);
          int window = 1 + random.nextInt(32);
          int inFlight = 0;
          for (int i = 0; i < count; i++) {
            publisher.send(publishFrame(random.nextBoolean() ? "k:a" : "k:b", n++));
            if (++inFlight >= window) {
              publisher.expect("published");
              inFlight--;
            }
          }
          hub.kill(); // kill -9 with up to `window` publishes unanswered, and the store behind
        }
        hub = hub(data, port);
        hub.out.next(WAIT); // listening again
      }
      try (RawClient publisher = RawClient.greeted(url)) {
        publisher.send("{\"type\":\"auth\"}").expect("auth:success");
        publisher.send(publishFrame("k:end", n)).expect("published");
      }
      first.out.await("\"k:end\"", WAIT);
      second.out.await("\"k:end\"", WAIT);

      Map<String, Seen> stored = stored(url);
      List<CmwsProcess> subscribers = List.of(first, second);
      Map<String, Seen> everything = new HashMap<>(stored);
      Map<Long, Seen> byPublish = new HashMap<>();
      stored.values().forEach(event -> byPublish.put(event.n(), event));
      List<Map<String, Seen>> printed = new ArrayList<>();
      for (CmwsProcess subscriber : subscribers) {
        Map<String, Seen> own = new HashMap<>();
        for (Seen event : printedBy(subscriber)) {
          assertNull(own.put(event.position(), event), "printed twice: " + event + seed(seed));
          Seen other = everything.putIfAbsent(event.position(), event);
          assertTrue(
              other == null || other.n() == event.n(),
              "one seq, two events: " + other + " and " + event + seed(seed));
          Seen samePublish = byPublish.putIfAbsent(event.n(), event);
          assertTrue(
              samePublish == null || samePublish.position().equals(event.position()),
              "one event at two positions: " + samePublish + " and " + event + seed(seed));
        }
        printed.add(own);
      }

      int missed = 0;
      int lostRanges = 0;
      for (int i = 0; i < subscribers.size(); i++) {
        Map<String, Seen> own = printed.get(i);
        for (Seen event : stored.values()) {
          assertEquals(
              event, own.get(event.position()), "a stored event not printed once" + seed(seed));
        }
        List<JsonNode> lost = lostRangesToldTo(subscribers.get(i));
        lostRanges += lost.size();
        for (Seen event : everything.values()) {
          if (!own.containsKey(event.position())) {
            missed++;
            assertTrue(
                lost.stream().anyMatch(range -> covers(range, event)),
                "missed " + event + " outside every range the hub named: " + lost + seed(seed));
          }
        }
      }
      assertTrue(stored.size() > KILLS * 10, "the stream went on across the kills");
      System.out.println(
          "exact resume: "
              + KILLS
              + " kills, "
              + n
              + " publishes, "
              + stored.size()
              + " stored, "
              + (everything.size() - stored.size())
              + " delivered and lost with the hub, "
              + missed
              + " missed by a subscriber, "
              + lostRanges
              + " lost ranges told"
              + seed(seed));
    } finally {
      hub.close();
    }
  }

  /** The issue's experiment: three events, kill -9, the same serve again, two more. */
  @Test
  @Timeout(120)
  void afterAKillTheSubscriberPrintsOnlyTheNewEvents(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    CmwsProcess hub = hub(data, 0);
    URI url = URI.create(Json.parse(hub.out.next(WAIT)).get("url").asText());
    try (CmwsProcess subscriber = subscriber(url)) {
      for (int i = 1; i <= 3; i++) {
        publish(url, i);
      }
      for (int i = 1; i <= 3; i++) {
        assertEquals(i, seen(Json.parse(subscriber.out.next(WAIT))).seq());
      }
      hub.kill();
      hub = hub(data, url.getPort());
      hub.out.next(WAIT);
      subscriber.err.await("reconnected", WAIT);
      publish(url, 4);
      publish(url, 5);
      for (int i = 4; i <= 5; i++) {
        assertEquals(new Seen("k:x", i, i), seen(Json.parse(subscriber.out.next(WAIT))));
      }
      assertEquals(5, subscriber.out.snapshot().size(), "nothing printed twice");
      assertTrue(
          subscriber.err.snapshot().stream().noneMatch(line -> line.contains("\"gap\"")),
          "nothing can be missing: " + subscriber.err.snapshot());
    } finally {
      hub.close();
    }
  }

  private static void publish(URI url, int n) throws Exception {
    try (CmwsProcess publish =
        CmwsProcess.start("publish", "k:x", "{\"n\":" + n + "}", "--url", url.toString())) {
      assertEquals(0, publish.waitFor(WAIT), publish.err.snapshot().toString());
    }
  }

  private static String seed(long seed) {
    return " (seed " + seed + ")";
  }

  /** The hub's kept history of k:a and k:b, by position. */
  private static Map<String, Seen> stored(URI url) throws InterruptedException {
    Map<String, Seen> stored = new HashMap<>();
    try (RawClient reader = RawClient.greeted(url)) {
      reader.send("{\"type\":\"auth\"}").expect("auth:success");
      JsonNode subscribed =
          reader
              .send("{\"type\":\"subscribe\",\"channels\":[\"k:a\",\"k:b\"],\"last\":100000}")
              .expect("subscribed");
      for (int i = 0; i < subscribed.get("replayed").asInt(); i++) {
        Seen event = seen(reader.expect("event"));
        stored.put(event.position(), event);
      }
    }
    return stored;
  }

  private static List<Seen> printedBy(CmwsProcess subscriber) {
    List<Seen> events = new ArrayList<>();
    for (String line : subscriber.out.snapshot()) {
      JsonNode event = Json.parseOrString(line);
      if (!event.path("channel").asText().equals("k:end")) {
        events.add(seen(event));
      }
    }
    return events;
  }

  private static Seen seen(JsonNode event) {
    assertFalse(event.path("data").path("n").isMissingNode(), event.toString());
    return new Seen(
        event.get("channel").asText(),
        event.get("seq").asLong(),
        event.get("data").get("n").asLong());
  }

  /** The ranges in the subscriber's gap lines ({@code --json}: one JSON object per line). */
  private static List<JsonNode> lostRangesToldTo(CmwsProcess subscriber) {
    List<JsonNode> ranges = new ArrayList<>();
    for (String line : subscriber.err.snapshot()) {
      if (line.startsWith("{")) {
        JsonNode gap = Json.parseOrString(line);
        gap.path("lost").forEach(ranges::add);
      }
    }
    return ranges;
  }

  private static boolean covers(JsonNode range, Seen event) {
    return range.get("channel").asText().equals(event.channel())
        && range.get("from").asLong() <= event.seq()
        && event.seq() <= range.get("to").asLong();
  }
}
