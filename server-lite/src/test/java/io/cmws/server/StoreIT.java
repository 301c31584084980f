package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.store.StoreOptions;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded SQLite store across restarts (clean ones; crashes are tested with real processes).
 */
class StoreIT {

  private static TestHub hub(Path dir, int historySize, boolean persistHistory) throws IOException {
    return TestHub.start(
        c ->
            c.withHub(c.hub().withHistorySize(historySize))
                .withStore(new StoreOptions(dir, persistHistory, Duration.ofHours(24), false)));
  }

  private static String submit(RawClient client, String type) throws Exception {
    return client
        .send("{\"type\":\"task:submit\",\"taskType\":\"" + type + "\"}")
        .expect("task:submitted")
        .get("taskId")
        .asText();
  }

  @Test
  void tasksSurviveARestartAndAnInterruptedAttemptCounts(@TempDir Path dir) throws Exception {
    List<String> ids = new ArrayList<>();
    String other;
    try (TestHub first = hub(dir, 1000, true);
        RawClient client = first.subscriber();
        RawClient worker = RawClient.greeted(first.url())) {
      worker.send("{\"type\":\"register\",\"capabilities\":[\"a\"]}").expect("registered");
      for (int i = 0; i < 3; i++) {
        ids.add(submit(client, "a"));
      }
      other = submit(client, "b");
      assertEquals(ids.get(0), worker.expect("task:assign").get("task").get("id").asText());
    }
    try (TestHub second = hub(dir, 1000, true);
        RawClient client = second.subscriber();
        RawClient completions = second.subscriber("task:completed");
        RawClient worker = RawClient.greeted(second.url())) {
      JsonNode pending =
          client.send("{\"type\":\"task:list\",\"state\":\"pending\"}").expect("task:listed");
      assertEquals(4, pending.get("tasks").size());
      worker
          .send(
              "{\"type\":\"register\",\"capabilities\":[\"a\",\"b\"],\"metadata\":{\"concurrency\":4}}")
          .expect("registered");
      List<String> assigned = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        JsonNode task = worker.expect("task:assign").get("task");
        assigned.add(task.get("id").asText());
        if (task.get("id").asText().equals(ids.get(0))) {
          assertEquals(2, task.get("attempt").asInt(), "the attempt cut short by the stop counts");
        }
      }
      assertTrue(assigned.containsAll(ids) && assigned.contains(other), assigned.toString());
      worker.send("{\"type\":\"task:complete\",\"taskId\":\"" + other + "\",\"result\":42}");
      assertEquals(other, completions.expect("event").get("data").get("taskId").asText());
    }
    try (TestHub third = hub(dir, 1000, true);
        RawClient client = third.subscriber()) {
      JsonNode done =
          client
              .send("{\"type\":\"task:get\",\"taskId\":\"" + other + "\"}")
              .expect("task:info")
              .get("task");
      assertEquals(
          "completed", done.get("state").asText(), "finished tasks are kept with their result");
      assertEquals(42, done.get("result").asInt());
    }
  }

  @Test
  void historySurvivesACleanRestartWithTheSameEpoch(@TempDir Path dir) throws Exception {
    String epoch;
    long after;
    try (TestHub first = hub(dir, 1000, true);
        RawClient publisher = first.subscriber()) {
      try (RawClient subscriber = first.subscriber()) {
        JsonNode subscribed =
            subscriber
                .send("{\"type\":\"subscribe\",\"channels\":[\"p:*\"],\"last\":0}")
                .expect("subscribed");
        epoch = subscribed.get("epoch").asText();
        after = subscribed.get("serverTime").asLong();
        for (int i = 1; i <= 3; i++) {
          publisher
              .send("{\"type\":\"publish\",\"channel\":\"p:a\",\"data\":" + i + "}")
              .expect("published");
          subscriber.expect("event");
        }
      }
      for (int i = 4; i <= 503; i++) {
        publisher.send("{\"type\":\"publish\",\"channel\":\"p:a\",\"data\":" + i + "}");
      }
      for (int i = 4; i <= 503; i++) {
        publisher.expect("published");
      }
    }
    try (TestHub second = hub(dir, 1000, true);
        RawClient back = second.subscriber();
        RawClient publisher = second.subscriber()) {
      JsonNode subscribed =
          back.send(
                  "{\"type\":\"subscribe\",\"channels\":[\"p:*\"],\"recover\":{\"epoch\":\""
                      + epoch
                      + "\",\"since\":{\"p:a\":3},\"after\":"
                      + after
                      + "}}")
              .expect("subscribed");
      assertEquals(epoch, subscribed.get("epoch").asText(), "a clean restart keeps the epoch");
      assertTrue(subscribed.get("recovered").asBoolean());
      assertEquals(500, subscribed.get("replayed").asInt());
      for (long seq = 4; seq <= 503; seq++) {
        JsonNode event = back.expect("event");
        assertEquals(seq, event.get("seq").asLong());
        assertEquals(seq, event.get("data").asLong());
      }
      publisher.send("{\"type\":\"publish\",\"channel\":\"p:a\",\"data\":504}").expect("published");
      assertEquals(504, back.expect("event").get("seq").asLong(), "seq goes on where it stopped");
    }
    try (TestHub small = hub(dir, 100, true);
        RawClient back = small.subscriber()) {
      JsonNode subscribed =
          back.send(
                  "{\"type\":\"subscribe\",\"channels\":[\"p:a\"],\"recover\":{\"epoch\":\""
                      + epoch
                      + "\",\"since\":{\"p:a\":3}}}")
              .expect("subscribed");
      assertFalse(subscribed.get("recovered").asBoolean());
      assertEquals(100, subscribed.get("replayed").asInt());
      assertEquals(405, back.expect("event").get("seq").asLong());
    }
  }

  @Test
  void withoutPersistedHistoryEveryStartIsANewEpoch(@TempDir Path dir) throws Exception {
    String epoch;
    try (TestHub first = hub(dir, 1000, false);
        RawClient client = first.subscriber()) {
      epoch =
          client
              .send("{\"type\":\"subscribe\",\"channels\":[\"x\"],\"last\":0}")
              .expect("subscribed")
              .get("epoch")
              .asText();
      client.send("{\"type\":\"publish\",\"channel\":\"x\",\"data\":1}").expect("event");
    }
    try (TestHub second = hub(dir, 1000, false);
        RawClient client = second.subscriber()) {
      JsonNode subscribed =
          client
              .send(
                  "{\"type\":\"subscribe\",\"channels\":[\"x\"],\"recover\":{\"epoch\":\""
                      + epoch
                      + "\",\"since\":{\"x\":1}}}")
              .expect("subscribed");
      assertNotEquals(epoch, subscribed.get("epoch").asText());
      assertFalse(subscribed.get("recovered").asBoolean());
      assertEquals(0, subscribed.get("replayed").asInt());
    }
  }

  @Test
  void oneHubPerDataDirectory(@TempDir Path dir) throws Exception {
    try (TestHub first = hub(dir, 10, true)) {
      IOException refused = assertThrows(IOException.class, () -> hub(dir, 10, true));
      assertTrue(refused.getMessage().contains("another cmws hub is using"), refused.getMessage());
    }
  }
}
