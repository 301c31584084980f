package io.cmws.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cmws.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredTaskTest {

  @Test
  void roundTripsThroughItsJson() throws Exception {
    TaskRequest request =
        new TaskRequest(
            "resize",
            Json.parse("{\"w\":1}"),
            "img",
            List.of("cpu"),
            7,
            3,
            9000,
            "k",
            "c",
            "local");
    Task task =
        new Task("T1", request, TaskState.ASSIGNED, 2, "worker-1", 10, 11L, null, null, null, null);
    StoredTask stored = new StoredTask(task, 42);
    assertEquals(stored, StoredTask.fromJson(Json.parse(Json.write(stored.toJson()))));
  }

  @Test
  void readsWhatEarlierVersionsStored() throws Exception {
    String written =
        "{\"id\":\"T1\",\"seq\":5,\"type\":\"t\",\"payload\":{\"a\":1},\"capability\":\"t\","
            + "\"fallbackCapabilities\":[],\"priority\":50,\"maxRetries\":3,\"timeoutMs\":300000,"
            + "\"deduplicationKey\":null,\"clientId\":\"cli-1\",\"owner\":\"token:ops\","
            + "\"state\":\"pending\",\"attempt\":1,\"workerId\":null,\"createdAt\":100,"
            + "\"assignedAt\":null,\"completedAt\":null,\"retryAfter\":200,\"result\":null,"
            + "\"error\":\"flaky\"}";
    StoredTask stored = StoredTask.fromJson(Json.parse(written));
    assertEquals(5, stored.seq());
    assertEquals("token:ops", stored.task().submittedBy());
    assertEquals(TaskState.PENDING, stored.task().state());
    assertEquals(300000, stored.task().request().timeoutMs());
    assertEquals(200L, stored.task().retryAfter());
    assertNull(stored.task().workerId());
    assertEquals("flaky", stored.task().error());
  }

  @Test
  void theWireShapeKeepsItsFieldsAndOrder() throws Exception {
    TaskRequest request =
        new TaskRequest("t", null, "t", List.of(), 50, 3, 1000, null, null, "local");
    Task task =
        new Task("T1", request, TaskState.PENDING, 0, null, 10, null, null, null, null, null);
    assertEquals(
        "{\"id\":\"T1\",\"type\":\"t\",\"state\":\"pending\",\"capability\":\"t\","
            + "\"fallbackCapabilities\":[],\"priority\":50,\"maxRetries\":3,\"attempt\":0,"
            + "\"timeoutMs\":1000,\"submittedBy\":\"local\",\"createdAt\":10,\"payload\":null}",
        Json.write(task));
  }
}
