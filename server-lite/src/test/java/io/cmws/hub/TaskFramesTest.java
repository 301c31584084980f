package io.cmws.hub;

import static io.cmws.hub.FakeConnections.sink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.tasks.StoredTask;
import io.cmws.tasks.TaskDispatcher;
import io.cmws.tasks.TaskJournal;
import io.cmws.tasks.TaskState;
import io.cmws.tasks.TasksConfig;
import io.cmws.testing.MutableClock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every task frame type, without sockets, on a fake clock. */
class TaskFramesTest {
  private static final Set<Permission> SUBMITTER =
      EnumSet.of(Permission.SUBSCRIBE, Permission.TASK_SUBMIT);

  private final MutableClock clock = new MutableClock(1_000_000);
  private final FakeConnections connections = new FakeConnections();
  private final List<String> events = new ArrayList<>();
  private final AtomicReference<String> unavailable = new AtomicReference<>();
  private final HeldJournal journal = new HeldJournal();
  private final TaskDispatcher dispatcher =
      new TaskDispatcher(
          TasksConfig.standard().withMaxWaiting(3).newQueue(),
          (channel, data) -> events.add(channel),
          clock);

  /** Acknowledges submissions only when the test says they are durable. */
  static final class HeldJournal implements TaskJournal {
    final List<Runnable> waiting = new ArrayList<>();

    @Override
    public void record(StoredTask task) {}

    @Override
    public void whenDurable(Runnable onDurable, Consumer<Exception> onFailure) {
      waiting.add(onDurable);
    }

    void flush() {
      waiting.forEach(Runnable::run);
      waiting.clear();
    }
  }

  TaskFramesTest() {
    ChannelRouter router = new ChannelRouter(clock, connections.metrics, 10);
    AuthHandler auth =
        new AuthHandler(
            new AccessPolicy(TokenRegistry.none(), false),
            new ConnectionRegistry(clock),
            router,
            connections.metrics,
            System::nanoTime);
    dispatcher.limitPerSubmitter(2);
    TaskFrames tasks =
        new TaskFrames(
            dispatcher,
            TasksConfig.standard().defaults(),
            journal,
            connections.metrics,
            auth,
            TaskLane.inPlace(connections.replies),
            (channel, data) -> events.add(channel),
            unavailable::get);
    tasks.routes(connections.routes);
    new ConnectionFrames(auth, tasks, clock, System::nanoTime).routes(connections.routes);
  }

  private Connection worker(String capabilities) {
    Connection worker = connections.pending();
    JsonNode registered =
        connections.send(
            worker, "{\"type\":\"register\",\"capabilities\":[\"" + capabilities + "\"]}");
    assertEquals("registered", registered.get("type").asText(), registered.toString());
    return worker;
  }

  private Connection submitter() {
    return connections.authenticated(ClientType.BROWSER, SUBMITTER, null);
  }

  /** Submits and makes the journal durable; the task id. */
  private String submit(Connection client, String type) {
    connections.send(client, "{\"type\":\"task:submit\",\"taskType\":\"" + type + "\"}");
    journal.flush();
    JsonNode ack = sink(client).last();
    assertEquals("task:submitted", ack.get("type").asText(), ack.toString());
    return ack.get("taskId").asText();
  }

  private static void assertError(JsonNode reply, String code, String messagePart) {
    assertEquals("error", reply.path("type").asText(), reply.toString());
    assertEquals(code, reply.path("code").asText(), reply.toString());
    assertTrue(reply.path("message").asText().contains(messagePart), reply.toString());
  }

  @Test
  void registerAnnouncesTheWorkerAndRefusesABadConcurrency() {
    worker("resize");
    assertEquals(List.of("worker:connected"), events);
    Connection bad = connections.pending();
    assertError(
        connections.send(
            bad,
            "{\"type\":\"register\",\"capabilities\":[\"x\"],\"metadata\":{\"concurrency\":0}}"),
        "bad_frame",
        "metadata.concurrency");
    assertTrue(!bad.isRegistered());
  }

  @Test
  void aSubmissionIsAcknowledgedOnlyOnceDurableAndThenAssigned() {
    Connection worker = worker("resize");
    Connection client = submitter();
    connections.send(client, "{\"type\":\"task:submit\",\"id\":\"s1\",\"taskType\":\"resize\"}");
    assertTrue(sink(client).frames.isEmpty(), "no ack before the journal says durable");
    assertEquals("task:assign", sink(worker).last().get("type").asText());
    journal.flush();
    JsonNode ack = sink(client).last();
    assertEquals("task:submitted", ack.get("type").asText());
    assertEquals("s1", ack.get("id").asText());
    assertTrue(events.containsAll(List.of("task:queued", "task:assigned")), events.toString());
  }

  @Test
  void submissionsAreRefusedWithTheReason() {
    assertError(
        connections.send(
            connections.authenticated(ClientType.BROWSER, EnumSet.of(Permission.SUBSCRIBE), null),
            "{\"type\":\"task:submit\",\"taskType\":\"t\"}"),
        "forbidden",
        "'task:submit' required");
    Connection client = submitter();
    assertError(
        connections.send(client, "{\"type\":\"task:submit\",\"taskType\":\"no spaces\"}"),
        "bad_frame",
        "task type must be");
    unavailable.set("the store is behind");
    assertError(
        connections.send(client, "{\"type\":\"task:submit\",\"taskType\":\"t\"}"),
        "unavailable",
        "the store is behind");
    unavailable.set(null);
    submit(client, "t");
    submit(client, "t");
    assertError(
        connections.send(client, "{\"type\":\"task:submit\",\"taskType\":\"t\"}"),
        "limit_exceeded",
        "");
    Connection other = connections.authenticated(ClientType.BROWSER, SUBMITTER, "other");
    submit(other, "t");
    assertError(
        connections.send(other, "{\"type\":\"task:submit\",\"taskType\":\"t\"}"), "queue_full", "");
  }

  @Test
  void getAndListShowTasksAndRefuseUnknownOnes() {
    Connection client = submitter();
    String id = submit(client, "t");
    JsonNode info =
        connections.send(client, "{\"type\":\"task:get\",\"id\":\"g\",\"taskId\":\"" + id + "\"}");
    assertEquals("task:info", info.get("type").asText());
    assertEquals("pending", info.get("task").get("state").asText());
    assertEquals("local", info.get("task").get("submittedBy").asText());
    assertError(
        connections.send(client, "{\"type\":\"task:get\",\"taskId\":\"nope\"}"),
        "not_found",
        "no task nope");
    JsonNode listed =
        connections.send(client, "{\"type\":\"task:list\",\"state\":\"pending\",\"limit\":5}");
    assertEquals(1, listed.get("tasks").size());
    assertError(
        connections.send(client, "{\"type\":\"task:list\",\"state\":\"sleeping\"}"),
        "bad_frame",
        "");
    assertError(
        connections.send(
            connections.authenticated(ClientType.BROWSER, EnumSet.of(Permission.SUBSCRIBE), null),
            "{\"type\":\"task:list\"}"),
        "forbidden",
        "");
  }

  @Test
  void onlyTheSubmitterOrAnAdminCancels() {
    Connection owner = connections.authenticated(ClientType.BROWSER, SUBMITTER, "owner");
    String id = submit(owner, "t");
    Connection stranger = connections.authenticated(ClientType.BROWSER, SUBMITTER, "stranger");
    assertError(
        connections.send(stranger, "{\"type\":\"task:cancel\",\"taskId\":\"" + id + "\"}"),
        "forbidden",
        "belongs to another submitter");
    JsonNode cancelled =
        connections.send(owner, "{\"type\":\"task:cancel\",\"taskId\":\"" + id + "\"}");
    assertEquals("cancelled", cancelled.get("task").get("state").asText());
    String second = submit(owner, "t");
    Connection admin =
        connections.authenticated(ClientType.BROWSER, EnumSet.of(Permission.ADMIN), "ops");
    assertEquals(
        "cancelled",
        connections
            .send(admin, "{\"type\":\"task:cancel\",\"taskId\":\"" + second + "\"}")
            .get("task")
            .get("state")
            .asText());
  }

  @Test
  void theWorkerHoldingATaskReportsProgressAndResultOthersCannot() {
    Connection worker = worker("resize");
    Connection client = submitter();
    String id = submit(client, "resize");
    assertError(
        connections.send(
            client, "{\"type\":\"task:complete\",\"taskId\":\"" + id + "\",\"result\":1}"),
        "forbidden",
        "'task:complete' required");
    connections.send(
        worker, "{\"type\":\"task:progress\",\"taskId\":\"" + id + "\",\"progress\":50}");
    assertTrue(events.contains("task:progress"), events.toString());
    Connection imposter = worker("resize");
    assertError(
        connections.send(
            imposter, "{\"type\":\"task:complete\",\"taskId\":\"" + id + "\",\"result\":1}"),
        "not_owner",
        "not assigned to this worker");
    connections.send(
        worker, "{\"type\":\"task:complete\",\"taskId\":\"" + id + "\",\"result\":{\"ok\":1}}");
    assertEquals(TaskState.COMPLETED, dispatcher.queue().get(id).orElseThrow().state());
    assertTrue(events.contains("task:completed"));
  }

  @Test
  void aFailureIsRetriedOrFinalAsTheWorkerSays() {
    Connection worker = worker("resize");
    Connection client = submitter();
    String retried = submit(client, "resize");
    connections.send(
        worker, "{\"type\":\"task:error\",\"taskId\":\"" + retried + "\",\"error\":\"flaky\"}");
    assertEquals(TaskState.PENDING, dispatcher.queue().get(retried).orElseThrow().state());
    assertTrue(events.contains("task:retrying"), events.toString());
    String fatal = submit(client, "resize");
    connections.send(
        worker,
        "{\"type\":\"task:error\",\"taskId\":\""
            + fatal
            + "\",\"error\":\"bad input\",\"retryable\":false}");
    assertEquals(TaskState.FAILED, dispatcher.queue().get(fatal).orElseThrow().state());
  }

  @Test
  void aHeartbeatIsAnsweredAndKeepsTheWorkersLease() {
    Connection worker = worker("resize");
    JsonNode ack = connections.send(worker, "{\"type\":\"heartbeat\",\"currentTasks\":[]}");
    assertEquals("heartbeat:ack", ack.get("type").asText());
    assertEquals(clock.millis(), ack.get("serverTime").asLong());
  }

  @Test
  void drainAndShutdownAreForWorkersOnly() {
    Connection client = submitter();
    assertError(connections.send(client, "{\"type\":\"drain\"}"), "not_a_worker", "");
    assertError(connections.send(client, "{\"type\":\"shutdown\"}"), "not_a_worker", "");
    Connection worker = worker("resize");
    connections.send(worker, "{\"type\":\"drain\"}");
    submit(client, "resize");
    assertTrue(sink(worker).ofType("task:assign").isEmpty(), "a draining worker gets nothing new");
    connections.send(worker, "{\"type\":\"shutdown\",\"reason\":\"bye\"}");
    assertEquals(1000, sink(worker).closeCode);
    assertEquals("Worker shutdown", sink(worker).closeReason);
  }
}
