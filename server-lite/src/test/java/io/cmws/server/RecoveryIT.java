package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Replay of kept events on subscribe: by last seq, by time, the last N; no gap, no duplicate. */
class RecoveryIT {

  private static void publish(RawClient publisher, String channel, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      publisher.send("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + i + "}");
    }
    for (int i = 0; i < count; i++) {
      publisher.expect("published");
    }
  }

  private static RawClient authenticated(TestHub hub) throws Exception {
    RawClient client = RawClient.greeted(hub.url());
    client.send("{\"type\":\"auth\"}").expect("auth:success");
    return client;
  }

  @Test
  void aReturningSubscriberGetsExactlyWhatItMissedThenLiveEvents() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient publisher = hub.subscriber()) {
      String epoch;
      long after;
      try (RawClient first = authenticated(hub)) {
        JsonNode subscribed =
            first
                .send("{\"type\":\"subscribe\",\"channels\":[\"r:*\"],\"last\":0}")
                .expect("subscribed");
        assertTrue(subscribed.get("recovered").asBoolean());
        assertEquals(0, subscribed.get("replayed").asInt());
        epoch = subscribed.get("epoch").asText();
        after = subscribed.get("serverTime").asLong();
        publish(publisher, "r:a", 3);
        for (int seq = 1; seq <= 3; seq++) {
          assertEquals(seq, first.expect("event").get("seq").asLong());
        }
      }
      publish(publisher, "r:a", 500);
      publish(publisher, "r:new", 2); // a channel it never saw: replayed by time
      try (RawClient back = authenticated(hub)) {
        JsonNode subscribed =
            back.send(
                    "{\"type\":\"subscribe\",\"channels\":[\"r:*\"],\"recover\":{\"epoch\":\""
                        + epoch
                        + "\",\"since\":{\"r:a\":3},\"after\":"
                        + after
                        + "}}")
                .expect("subscribed");
        assertTrue(subscribed.get("recovered").asBoolean(), subscribed.toString());
        assertEquals(502, subscribed.get("replayed").asInt());
        List<Long> seqs = new ArrayList<>();
        int fresh = 0;
        for (int i = 0; i < 502; i++) {
          JsonNode event = back.expect("event");
          assertTrue(event.get("replayed").asBoolean());
          if (event.get("channel").asText().equals("r:a")) {
            seqs.add(event.get("seq").asLong());
          } else {
            fresh++;
          }
        }
        assertEquals(2, fresh);
        for (int i = 0; i < 500; i++) {
          assertEquals(4 + i, seqs.get(i), "in order, no gap, no duplicate");
        }
        publish(publisher, "r:a", 1);
        JsonNode live = back.expect("event");
        assertEquals(504, live.get("seq").asLong());
        assertFalse(live.has("replayed"));
      }
    }
  }

  @Test
  void whenHistoryIsTooShortItSaysSoAndSendsWhatItHas() throws Exception {
    try (TestHub hub = TestHub.start(c -> c.withHub(c.hub().withHistorySize(100)));
        RawClient publisher = hub.subscriber();
        RawClient back = authenticated(hub)) {
      publish(publisher, "h:a", 503);
      JsonNode subscribed =
          back.send(
                  "{\"type\":\"subscribe\",\"channels\":[\"h:a\"],\"recover\":{\"since\":{\"h:a\":3}}}")
              .expect("subscribed");
      assertFalse(subscribed.get("recovered").asBoolean(), "never a silent partial replay");
      assertEquals(100, subscribed.get("replayed").asInt());
      for (long seq = 404; seq <= 503; seq++) {
        assertEquals(seq, back.expect("event").get("seq").asLong());
      }
    }
  }

  @Test
  void anotherEpochMeansTheOldPositionsAreMeaningless() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient publisher = hub.subscriber();
        RawClient back = authenticated(hub)) {
      publish(publisher, "e:a", 2);
      JsonNode subscribed =
          back.send(
                  "{\"type\":\"subscribe\",\"channels\":[\"e:*\"],"
                      + "\"recover\":{\"epoch\":\"gone\",\"since\":{\"e:a\":1}}}")
              .expect("subscribed");
      assertFalse(subscribed.get("recovered").asBoolean());
      assertEquals(2, subscribed.get("replayed").asInt(), "everything kept in this epoch");
    }
  }

  @Test
  void lastNReplaysTheNewestEvents() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient publisher = hub.subscriber();
        RawClient client = authenticated(hub)) {
      publish(publisher, "l:a", 10);
      JsonNode subscribed =
          client
              .send("{\"type\":\"subscribe\",\"channels\":[\"l:a\"],\"last\":3}")
              .expect("subscribed");
      assertTrue(subscribed.get("recovered").asBoolean());
      assertEquals(
          List.of(8L, 9L, 10L),
          List.of(
              client.expect("event").get("seq").asLong(),
              client.expect("event").get("seq").asLong(),
              client.expect("event").get("seq").asLong()));
      JsonNode history =
          client
              .send("{\"type\":\"history\",\"channel\":\"l:a\",\"last\":2,\"id\":\"h\"}")
              .expect("history:info");
      assertEquals(2, history.get("events").size());
      assertEquals(10, history.get("events").get(1).get("seq").asLong());
    }
  }

  @Test
  void recoveryWhilePublishingHasNoGapAndNoDuplicate() throws Exception {
    try (TestHub hub = TestHub.start(c -> c.withHub(c.hub().withHistorySize(5000)));
        RawClient publisher = hub.subscriber();
        RawClient client = authenticated(hub)) {
      publish(publisher, "busy", 100);
      AtomicReference<Exception> failure = new AtomicReference<>();
      Thread background =
          new Thread(
              () -> {
                try {
                  publish(publisher, "busy", 1900);
                } catch (Exception e) {
                  failure.set(e);
                }
              });
      background.start();
      JsonNode subscribed =
          client
              .send(
                  "{\"type\":\"subscribe\",\"channels\":[\"busy\"],\"recover\":{\"since\":{\"busy\":50}}}")
              .expect("subscribed");
      assertTrue(subscribed.get("recovered").asBoolean());
      for (long seq = 51; seq <= 2000; seq++) {
        assertEquals(seq, client.expect("event").get("seq").asLong());
      }
      background.join();
      assertEquals(null, failure.get());
    }
  }
}
