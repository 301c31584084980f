package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.redis.RedisSettings;
import io.cmws.testing.RawClient;
import io.cmws.testing.RedisServer;
import io.cmws.testing.TestHub;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several hubs sharing channels and history through a real Redis. */
@Timeout(60)
class RedisEventsIT {

  private static TestHub hub(RedisSettings redis) throws IOException {
    return TestHub.start(c -> c.withRedis(redis));
  }

  private static RawClient authenticated(TestHub hub) throws Exception {
    RawClient client = RawClient.greeted(hub.url());
    client.send("{\"type\":\"auth\"}").expect("auth:success");
    return client;
  }

  private static void publish(RawClient publisher, String channel, int from, int count)
      throws Exception {
    for (int i = from; i < from + count; i++) {
      publisher.send(
          "{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"i\":" + i + "}}");
    }
    for (int i = 0; i < count; i++) {
      publisher.expect("published");
    }
  }

  @Test
  void aSubscriberOnHubOneReceivesWithWildcardsWhatIsPublishedOnHubThree() throws Exception {
    RedisSettings redis = RedisServer.shared().settings();
    try (TestHub one = hub(redis);
        TestHub two = hub(redis);
        TestHub three = hub(redis);
        RawClient subscriber = one.subscriber("session:*:started", "task:*");
        RawClient bystander = two.subscriber("session:*");
        RawClient publisher = authenticated(three)) {
      publisher.send(
          "{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"session:S1:started\",\"data\":{\"n\":1}}");
      JsonNode ack = publisher.expect("published");
      assertEquals(1, ack.get("seq").asLong(), "the seq comes from the shared counter");
      publisher
          .send("{\"type\":\"publish\",\"channel\":\"session:S1:ended\",\"data\":{\"n\":2}}")
          .expect("published");
      publisher
          .send("{\"type\":\"publish\",\"channel\":\"task:queued\",\"data\":{\"n\":3}}")
          .expect("published");

      JsonNode first = subscriber.expect("event");
      assertEquals("session:S1:started", first.get("channel").asText());
      assertEquals("session:*:started", first.get("pattern").asText());
      assertEquals(1, first.get("seq").asLong());
      assertEquals(1, first.get("data").get("n").asInt());
      JsonNode second = subscriber.expect("event");
      assertEquals(
          "task:queued",
          second.get("channel").asText(),
          "session:S1:ended does not match, task:* does");
      assertEquals("session:S1:started", bystander.expect("event").get("channel").asText());
      assertEquals("session:S1:ended", bystander.expect("event").get("channel").asText());
      assertEquals(0, subscriber.pending(), "each event once, not once per hub");
    }
  }

  @Test
  void recoveryFromHubOneToHubTwoByLastSeqHasNoGapAndNoDuplicate() throws Exception {
    RedisSettings redis = RedisServer.shared().settings();
    try (TestHub one = hub(redis);
        TestHub two = hub(redis);
        TestHub three = hub(redis);
        RawClient publisher = authenticated(three)) {
      String epoch;
      long lastSeq = 0;
      try (RawClient first = authenticated(one)) {
        JsonNode subscribed =
            first
                .send("{\"type\":\"subscribe\",\"channels\":[\"r:*\"],\"last\":0}")
                .expect("subscribed");
        epoch = subscribed.get("epoch").asText();
        publish(publisher, "r:a", 0, 10);
        for (int i = 0; i < 10; i++) {
          lastSeq = first.expect("event").get("seq").asLong();
        }
      }
      assertEquals(10, lastSeq);
      publish(
          publisher, "r:a", 10, 300); // while it is away; some go through hub two's own publisher
      try (RawClient other = authenticated(two)) {
        publish(other, "r:a", 310, 20);
      }
      try (RawClient back = authenticated(two)) {
        JsonNode subscribed =
            back.send(
                    "{\"type\":\"subscribe\",\"channels\":[\"r:*\"],\"recover\":{\"epoch\":\""
                        + epoch
                        + "\",\"since\":{\"r:a\":"
                        + lastSeq
                        + "}}}")
                .expect("subscribed");
        assertEquals(epoch, subscribed.get("epoch").asText(), "one epoch for every hub");
        assertTrue(subscribed.get("recovered").asBoolean(), subscribed.toString());
        // hub two replays what its copy of the history holds; events still on their way to it
        // through Redis follow live, so the client sees one run either way
        int replayed = subscribed.get("replayed").asInt();
        assertTrue(replayed > 0 && replayed <= 320, subscribed.toString());
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 320; i++) {
          JsonNode event = back.expect("event");
          assertEquals(i < replayed, event.has("replayed"), event.toString());
          seqs.add(event.get("seq").asLong());
        }
        for (int i = 0; i < 320; i++) {
          assertEquals(11 + i, seqs.get(i), "in order, no gap, no duplicate");
        }
        publish(publisher, "r:a", 330, 1);
        JsonNode live = back.expect("event");
        assertEquals(331, live.get("seq").asLong());
        assertFalse(live.has("replayed"));
      }
    }
  }

  @Test
  void aHubThatStartsLaterHasTheHistoryToo() throws Exception {
    RedisSettings redis = RedisServer.shared().settings();
    try (TestHub one = hub(redis);
        RawClient publisher = authenticated(one)) {
      publish(publisher, "late:x", 0, 5);
      try (TestHub two = hub(redis);
          RawClient client = authenticated(two)) {
        JsonNode subscribed =
            client
                .send("{\"type\":\"subscribe\",\"channels\":[\"late:*\"],\"last\":5}")
                .expect("subscribed");
        assertEquals(5, subscribed.get("replayed").asInt(), subscribed.toString());
        for (int i = 1; i <= 5; i++) {
          assertEquals(i, client.expect("event").get("seq").asLong());
        }
      }
    }
  }
}
