package io.cmws.cli.server;

import static io.cmws.cli.testing.FederatedHubs.awaitPools;
import static io.cmws.cli.testing.FederatedHubs.client;
import static io.cmws.cli.testing.FederatedHubs.hub;
import static io.cmws.cli.testing.FederatedHubs.pool;
import static io.cmws.cli.testing.FederatedHubs.url;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Events across a chain of three hubs, top ← mid ← leaf: {@code --upstream-publish} carries a
 * child's events up, {@code --upstream-subscribe} brings the parent's down, and every subscriber
 * gets each event once, never an echo of its own hub's event coming back.
 */
class FederationEventsIT {

  private static RawClient subscriber(URI hub, String... patterns) throws Exception {
    RawClient client = client(hub);
    client
        .send("{\"type\":\"subscribe\",\"channels\":" + Json.write(List.of(patterns)) + "}")
        .expect("subscribed");
    return client.keepAlive();
  }

  private static void publish(RawClient publisher, String channel) throws Exception {
    publisher
        .send(
            "{\"type\":\"publish\",\"channel\":\""
                + channel
                + "\",\"data\":{\"c\":\""
                + channel
                + "\"}}")
        .expect("published");
  }

  /** Publishes probes on {@code from} until {@code to} gets one: the links are up both ways. */
  private static void awaitFlow(RawClient from, RawClient to, String channel) throws Exception {
    for (int attempt = 0; attempt < 100; attempt++) {
      publish(from, channel);
      if (to.poll(Duration.ofMillis(200)) != null) {
        return;
      }
    }
    throw new AssertionError(channel + " never arrived");
  }

  /** Drains probes until nothing more comes for a moment. */
  private static void drain(RawClient... clients) throws Exception {
    for (RawClient client : clients) {
      while (client.poll(Duration.ofMillis(300)) != null) {
        // probe events from awaitFlow
      }
    }
  }

  /** Events (channel → via) until every one of {@code ends} has arrived. */
  private static Map<String, List<JsonNode>> until(RawClient subscriber, String... ends)
      throws Exception {
    Map<String, List<JsonNode>> got = new HashMap<>();
    Set<String> waiting = new HashSet<>(List.of(ends));
    while (!waiting.isEmpty()) {
      JsonNode event = subscriber.poll(Duration.ofSeconds(20));
      if (event == null) {
        throw new AssertionError("still waiting for " + waiting + "; got " + got.keySet());
      }
      if (!event.path("type").asText().equals("event")) {
        continue;
      }
      String channel = event.get("channel").asText();
      got.computeIfAbsent(channel, c -> new ArrayList<>()).add(event.path("via"));
      waiting.remove(channel);
    }
    return got;
  }

  private static void assertOnce(
      Map<String, List<JsonNode>> got, Map<String, String> expectedVia, String who) {
    assertEquals(expectedVia.keySet(), got.keySet(), who + " got " + got);
    expectedVia.forEach(
        (channel, via) -> {
          assertEquals(1, got.get(channel).size(), who + ": " + channel + " " + got.get(channel));
          assertEquals(via, got.get(channel).get(0).toString(), who + ": via of " + channel);
        });
  }

  @Test
  @Timeout(120)
  void aChainOfThreeHubsDeliversEveryEventOnceWithItsRoute() throws Exception {
    try (CmwsProcess top = hub("top")) {
      URI topUrl = url(top);
      try (CmwsProcess mid =
              hub(
                  "mid",
                  "--upstream",
                  topUrl.toString(),
                  "--upstream-publish",
                  "session:*,shared:*",
                  "--upstream-subscribe",
                  "news:*,shared:*");
          RawClient topAdmin = client(topUrl)) {
        URI midUrl = url(mid);
        try (CmwsProcess leaf =
                hub(
                    "leaf",
                    "--upstream",
                    midUrl.toString(),
                    "--upstream-publish",
                    "session:*",
                    "--upstream-subscribe",
                    "news:*");
            RawClient midAdmin = client(midUrl)) {
          URI leafUrl = url(leaf);
          awaitPools(topAdmin, hubs -> pool(hubs, "mid").path("online").asBoolean());
          awaitPools(midAdmin, hubs -> pool(hubs, "leaf").path("online").asBoolean());
          try (RawClient onTop = subscriber(topUrl, "session:*", "shared:*");
              RawClient onMid = subscriber(midUrl, "session:*", "news:*", "shared:*");
              RawClient onLeaf = subscriber(leafUrl, "session:*", "news:*");
              RawClient atTop = client(topUrl);
              RawClient atMid = client(midUrl);
              RawClient atLeaf = client(leafUrl)) {
            awaitFlow(atLeaf, onTop, "session:probe");
            awaitFlow(atTop, onLeaf, "news:probe");
            awaitFlow(atTop, onMid, "shared:probe");
            drain(onTop, onMid, onLeaf);

            publish(atLeaf, "session:leaf");
            publish(atTop, "news:top");
            publish(atMid, "shared:mid");
            publish(atTop, "shared:top");
            publish(atMid, "session:mid");
            // end markers: whatever would come twice comes before them on the same path
            publish(atLeaf, "session:end");
            publish(atTop, "news:end");
            publish(atTop, "shared:end");

            assertOnce(
                until(onTop, "session:end", "shared:end"),
                Map.of(
                    "session:leaf", "[\"leaf\",\"mid\"]",
                    "shared:mid", "[\"mid\"]",
                    "shared:top", "",
                    "session:mid", "[\"mid\"]",
                    "session:end", "[\"leaf\",\"mid\"]",
                    "shared:end", ""),
                "top");
            assertOnce(
                until(onMid, "session:end", "news:end", "shared:end"),
                Map.of(
                    "session:leaf", "[\"leaf\"]",
                    "news:top", "[\"top\"]",
                    "shared:mid", "",
                    "shared:top", "[\"top\"]",
                    "session:mid", "",
                    "session:end", "[\"leaf\"]",
                    "news:end", "[\"top\"]",
                    "shared:end", "[\"top\"]"),
                "mid");
            assertOnce(
                until(onLeaf, "session:end", "news:end"),
                Map.of(
                    "session:leaf", "",
                    "news:top", "[\"top\",\"mid\"]",
                    "session:end", "",
                    "news:end", "[\"top\",\"mid\"]"),
                "leaf");
            System.out.println(
                "federation events: three hubs in a chain, 8 events, each subscriber got each once");
          }
        }
      }
    }
  }
}
