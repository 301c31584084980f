package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.hub.Limits;
import io.cmws.protocol.CloseCodes;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each per-client limit: refused with a clear error or close code, counted, and nobody else
 * affected.
 */
@Timeout(30)
class LimitsIT {

  private static TestHub hub(UnaryOperator<Limits> limits) throws IOException {
    return TestHub.start(c -> c.withHub(c.hub().withLimits(limits.apply(Limits.standard()))));
  }

  private static long rejections(TestHub hub, String limit) throws Exception {
    String prefix = "cmws_limit_rejections_total{limit=\"" + limit + "\"} ";
    return hub.get("/metrics")
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToLong(l -> Long.parseLong(l.substring(prefix.length()).trim()))
        .sum();
  }

  private static void assertBystanderWorks(TestHub hub, RawClient bystander) throws Exception {
    try (RawClient publisher = hub.subscriber()) {
      publisher
          .send("{\"type\":\"publish\",\"channel\":\"calm:x\",\"data\":1}")
          .expect("published");
    }
    assertEquals(
        "calm:x", bystander.expect("event").get("channel").asText(), "others are not affected");
  }

  @Test
  void connectionsBeyondTheTotalAreClosedWithTryAgainLater() throws Exception {
    try (TestHub hub = hub(l -> l.withConnections(3, 1000));
        RawClient bystander = hub.subscriber("calm:*");
        RawClient second = hub.subscriber();
        RawClient third = hub.subscriber()) {
      RawClient.Close close = RawClient.refused(hub.url());
      assertEquals(CloseCodes.TRY_AGAIN_LATER, close.code());
      assertTrue(close.reason().contains("limit of 3 connections"), close.reason());
      assertEquals(1, rejections(hub, "connections"));
      second.send("{\"type\":\"publish\",\"channel\":\"calm:x\",\"data\":1}").expect("published");
      assertEquals(
          "calm:x", bystander.expect("event").get("channel").asText(), "the others keep working");
    }
  }

  @Test
  void connectionsPerAddressAreLimited() throws Exception {
    try (TestHub hub = hub(l -> l.withConnections(1000, 2).withLimitLoopback(true));
        RawClient bystander = hub.subscriber("calm:*");
        RawClient second = hub.subscriber()) {
      RawClient.Close close = RawClient.refused(hub.url());
      assertEquals(CloseCodes.TRY_AGAIN_LATER, close.code());
      assertTrue(close.reason().contains("at most 2 connections from one address"), close.reason());
      assertEquals(1, rejections(hub, "connections_per_address"));
      second.send("{\"type\":\"publish\",\"channel\":\"calm:x\",\"data\":1}").expect("published");
      assertEquals(
          "calm:x", bystander.expect("event").get("channel").asText(), "the others keep working");
    }
  }

  @Test
  void loopbackIsTrustedUnlessAskedOtherwise() throws Exception {
    try (TestHub hub = hub(l -> l.withConnections(1000, 1).withRate(5, 5));
        RawClient one = hub.subscriber();
        RawClient two = hub.subscriber()) {
      for (int i = 0; i < 50; i++) {
        two.send("{\"type\":\"ping\"}");
      }
      for (int i = 0; i < 50; i++) {
        two.expect("pong");
      }
      assertTrue(one.isOpen());
    }
  }

  @Test
  void subscriptionsPerConnectionAndChannelsPerSubscribeAreLimited() throws Exception {
    try (TestHub hub = hub(l -> l.withSubscriptions(3, 2));
        RawClient bystander = hub.subscriber("calm:*");
        RawClient client = hub.subscriber()) {
      JsonNode tooMany =
          client
              .send("{\"type\":\"subscribe\",\"channels\":[\"a:*\",\"b:*\",\"c:*\"]}")
              .expect("error");
      assertEquals("limit_exceeded", tooMany.get("code").asText());
      assertTrue(
          tooMany.get("message").asText().contains("at most 2 channels per subscribe, got 3"),
          tooMany.toString());
      client.send("{\"type\":\"subscribe\",\"channels\":[\"a:*\",\"b:*\"]}").expect("subscribed");
      client.send("{\"type\":\"subscribe\",\"channels\":[\"c:*\"]}").expect("subscribed");
      client
          .send("{\"type\":\"subscribe\",\"channels\":[\"a:*\"]}")
          .expect("subscribed"); // already held: no room needed
      JsonNode full =
          client.send("{\"type\":\"subscribe\",\"channels\":[\"d:*\"]}").expect("error");
      assertEquals("limit_exceeded", full.get("code").asText());
      assertTrue(
          full.get("message").asText().contains("at most 3 subscriptions per connection"),
          full.toString());
      assertEquals(1, rejections(hub, "channels_per_subscribe"));
      assertEquals(1, rejections(hub, "subscriptions"));
      client.send("{\"type\":\"unsubscribe\",\"channels\":[\"c:*\"]}").expect("unsubscribed");
      client.send("{\"type\":\"subscribe\",\"channels\":[\"d:*\"]}").expect("subscribed");
      assertBystanderWorks(hub, bystander);
    }
  }

  @Test
  void aClientAboveItsRateLosesMessagesAndIsToldOnce() throws Exception {
    try (TestHub hub = hub(l -> l.withRate(20, 20).withLimitLoopback(true));
        RawClient bystander = hub.subscriber("calm:*");
        RawClient eager = hub.subscriber()) {
      for (int i = 0; i < 30; i++) {
        eager.send("{\"type\":\"ping\"}");
      }
      List<String> types = new ArrayList<>();
      for (JsonNode frame = eager.poll(java.time.Duration.ofMillis(500));
          frame != null;
          frame = eager.poll(java.time.Duration.ofMillis(300))) {
        types.add(
            frame.get("type").asText()
                + (frame.has("code") ? ":" + frame.get("code").asText() : ""));
      }
      long pongs = types.stream().filter("pong"::equals).count();
      assertTrue(pongs >= 17 && pongs <= 22, "about a burst of 20 goes through: " + types);
      assertEquals(
          1,
          types.stream().filter("error:rate_limited"::equals).count(),
          "told once, not per frame: " + types);
      assertTrue(rejections(hub, "rate") >= 8, "every dropped frame is counted");
      assertTrue(eager.isOpen(), "a little too eager is not a flood");
      assertBystanderWorks(hub, bystander);
    }
  }

  @RepeatedTest(
      25) // the close code must survive the race with a client still sending (1006 before lingering
  // close)
  void aFloodIsClosedWithPolicyViolation() throws Exception {
    try (TestHub hub = hub(l -> l.withRate(10, 10).withLimitLoopback(true));
        RawClient bystander = hub.subscriber("calm:*");
        RawClient flooder = hub.subscriber()) {
      for (int i = 0;
          i < 200 && flooder.isOpen();
          i++) { // it keeps sending until the hub closes it
        flooder.trySend("{\"type\":\"ping\"}");
      }
      RawClient.Close close = flooder.awaitClose();
      assertEquals(CloseCodes.POLICY, close.code());
      assertTrue(close.reason().contains("flood"), close.reason());
      assertTrue(rejections(hub, "flood") >= 1, "counted");
      assertBystanderWorks(hub, bystander);
    }
  }

  @Test
  void channelsBeyondTheLimitAreRefusedAndHistoryIsBoundedInBytes() throws Exception {
    try (TestHub hub = hub(l -> l.withMaxChannels(2));
        RawClient publisher = hub.subscriber()) {
      publisher.send("{\"type\":\"publish\",\"channel\":\"a\",\"data\":1}").expect("published");
      publisher.send("{\"type\":\"publish\",\"channel\":\"b\",\"data\":1}").expect("published");
      JsonNode refused =
          publisher.send("{\"type\":\"publish\",\"channel\":\"c\",\"data\":1}").expect("error");
      assertEquals("limit_exceeded", refused.get("code").asText());
      assertTrue(
          refused.get("message").asText().contains("at most 2 channels"), refused.toString());
      publisher
          .send("{\"type\":\"publish\",\"channel\":\"a\",\"data\":2}")
          .expect("published"); // known ones go on
      assertEquals(1, rejections(hub, "channels"));
      String big = "z".repeat(900_000);
      for (int i = 0; i < 30; i++) { // 27 MB published on one channel
        publisher
            .send("{\"type\":\"publish\",\"channel\":\"a\",\"data\":\"" + big + "\"}")
            .expect("published");
      }
      JsonNode history =
          publisher
              .send("{\"type\":\"history\",\"channel\":\"a\",\"last\":100}")
              .expect("history:info");
      int kept = history.get("events").size();
      assertTrue(kept >= 8 && kept <= 10, "about 8 MiB kept, not 27 MB: " + kept + " events");
      assertTrue(!history.get("complete").asBoolean(), "and it says the rest is gone");
    }
  }

  @Test
  void unfinishedTasksPerSubmitterAreLimited() throws Exception {
    try (TestHub hub = hub(l -> l.withTasksPerSubmitter(2));
        RawClient submitter = hub.subscriber();
        RawClient worker = RawClient.connect(hub.url())) {
      submitter
          .send("{\"type\":\"task:submit\",\"taskType\":\"t\",\"watch\":true}")
          .expect("task:submitted");
      submitter.send("{\"type\":\"task:submit\",\"taskType\":\"t\"}").expect("task:submitted");
      JsonNode refused =
          submitter.send("{\"type\":\"task:submit\",\"taskType\":\"t\"}").expect("error");
      assertEquals("limit_exceeded", refused.get("code").asText());
      assertTrue(
          refused.get("message").asText().contains("at most 2 unfinished tasks per submitter"),
          refused.toString());
      assertEquals(1, rejections(hub, "tasks_per_submitter"));
      worker.expect("connection:pending");
      worker.send("{\"type\":\"register\",\"capabilities\":[\"t\"]}").expect("registered");
      String id = worker.expect("task:assign").get("task").get("id").asText();
      worker.send("{\"type\":\"task:complete\",\"taskId\":\"" + id + "\",\"result\":1}");
      assertEquals("completed", submitter.expect("task:result").get("state").asText());
      submitter
          .send("{\"type\":\"task:submit\",\"taskType\":\"t\"}")
          .expect("task:submitted"); // room again
    }
  }
}
