package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.Json;
import io.cmws.protocol.ProtocolException;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.ChannelPublisher;
import io.cmws.tasks.SubmitterLimitException;
import io.cmws.tasks.Task;
import io.cmws.tasks.TaskDefaults;
import io.cmws.tasks.TaskDispatcher;
import io.cmws.tasks.TaskJournal;
import io.cmws.tasks.TaskQueue;
import io.cmws.tasks.TaskRequest;
import io.cmws.tasks.TaskState;
import java.util.List;
import java.util.function.Supplier;

/**
 * The task frame family: workers register, heartbeat, report progress, results and errors, drain
 * and say goodbye; clients submit, get, list and cancel. Permission checks are here, ownership of
 * running tasks in {@link TaskDispatcher}. Frames arrive on the connection's transport thread; the
 * work runs on the {@link TaskLane}.
 */
final class TaskFrames {
  static final int MAX_LIST = 1000;
  static final int MAX_CONCURRENCY = 1024;

  private final TaskDispatcher dispatcher;
  private final TaskDefaults defaults;
  private final TaskJournal journal;
  private final HubMetrics metrics;
  private final AuthHandler auth;
  private final TaskLane lane;
  private final ChannelPublisher events;
  private final Supplier<String> unavailable;

  TaskFrames(
      TaskDispatcher dispatcher,
      TaskDefaults defaults,
      TaskJournal journal,
      HubMetrics metrics,
      AuthHandler auth,
      TaskLane lane,
      ChannelPublisher events,
      Supplier<String> unavailable) {
    this.dispatcher = dispatcher;
    this.defaults = defaults;
    this.journal = journal;
    this.metrics = metrics;
    this.auth = auth;
    this.lane = lane;
    this.events = events;
    this.unavailable = unavailable;
  }

  void routes(FrameRoutes routes) {
    routes.any(ClientFrame.Register.class, this::register);
    routes.authenticated(ClientFrame.TaskProgress.class, this::report);
    routes.authenticated(ClientFrame.TaskComplete.class, this::report);
    routes.authenticated(ClientFrame.TaskError.class, this::report);
    routes.authenticated(ClientFrame.TaskSubmit.class, this::submit);
    routes.authenticated(ClientFrame.TaskGet.class, this::get);
    routes.authenticated(ClientFrame.TaskList.class, this::list);
    routes.authenticated(ClientFrame.TaskCancel.class, this::cancel);
    routes.authenticated(ClientFrame.Drain.class, this::drain);
    routes.authenticated(ClientFrame.Shutdown.class, this::shutdown);
  }

  TaskDispatcher dispatcher() {
    return dispatcher;
  }

  void register(Connection connection, ClientFrame.Register register) {
    int concurrency = concurrency(register.metadata()); // refuse a bad announcement first
    if (!auth.register(connection, register)) {
      return;
    }
    ObjectNode data = workerEvent(connection);
    data.set("capabilities", Json.MAPPER.valueToTree(register.capabilities()));
    events.publish("worker:connected", data);
    if (connection.has(Permission.TASK_RECEIVE)) {
      lane.run(
          connection,
          register,
          () -> dispatcher.workerRegistered(connection, register.capabilities(), concurrency));
    }
  }

  /** A heartbeat from a registered worker extends its leases. */
  void heartbeat(Connection connection, ClientFrame.Heartbeat heartbeat) {
    lane.run(connection, heartbeat, () -> dispatcher.heartbeat(connection));
  }

  /** The connection is gone; a worker's running tasks are lost to it. */
  void closed(Connection connection) {
    if (connection.isRegistered()) {
      events.publish("worker:disconnected", workerEvent(connection));
      lane.execute("worker gone", () -> dispatcher.workerGone(connection));
    }
  }

  void report(Connection connection, ClientFrame report) {
    PermissionDenied.require(connection, Permission.TASK_COMPLETE, "task results");
    lane.run(connection, report, () -> forward(connection, report));
  }

  private void forward(Connection connection, ClientFrame report) {
    if (report instanceof ClientFrame.TaskProgress p) {
      dispatcher.progress(connection, p.taskId(), p.progress(), p.message());
    } else if (report instanceof ClientFrame.TaskComplete c) {
      dispatcher.complete(connection, c.taskId(), c.result());
    } else if (report instanceof ClientFrame.TaskError e) {
      dispatcher.fail(connection, e.taskId(), e.error(), e.retryable() == null || e.retryable());
    }
  }

  void submit(Connection connection, ClientFrame.TaskSubmit submit) {
    PermissionDenied.require(connection, Permission.TASK_SUBMIT, "task:submit");
    String why = unavailable.get();
    if (why != null) {
      throw new ProtocolException(ErrorCode.UNAVAILABLE, why);
    }
    lane.run(connection, submit, () -> queue(connection, submit));
  }

  private void queue(Connection connection, ClientFrame.TaskSubmit submit) {
    TaskRequest request;
    try {
      request =
          TaskRequest.withDefaults(
              defaults,
              submit.taskType(),
              submit.payload(),
              submit.capability(),
              submit.fallbackCapabilities(),
              submit.priority(),
              submit.maxRetries(),
              submit.timeoutMs(),
              submit.deduplicationKey(),
              submit.clientId() == null ? connection.id() : submit.clientId(),
              principal(connection));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.BAD_FRAME, e.getMessage());
    }
    TaskQueue.Submitted submitted;
    try {
      submitted =
          dispatcher.submit(
              request,
              Boolean.TRUE.equals(submit.watch()) ? connection : null,
              submitter(connection));
    } catch (TaskQueue.QueueFullException e) {
      throw new ProtocolException(ErrorCode.QUEUE_FULL, e.getMessage());
    } catch (SubmitterLimitException e) {
      metrics.limitRejected("tasks_per_submitter");
      throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, e.getMessage());
    }
    // acknowledged only once the task would survive a crash of the hub
    journal.whenDurable(
        () ->
            connection.send(
                new ServerFrame.TaskSubmitted(
                    submit.id(), submitted.taskId(), submitted.deduplicated())),
        failure ->
            connection.send(
                new ServerFrame.Error(
                    "task " + submitted.taskId() + " could not be stored: " + failure.getMessage(),
                    ErrorCode.INTERNAL.wireName(),
                    "task:submit",
                    null,
                    submit.id())));
  }

  void get(Connection connection, ClientFrame.TaskGet get) {
    PermissionDenied.requireEither(
        connection, Permission.TASK_SUBMIT, Permission.ADMIN, "task:get");
    lane.run(
        connection,
        get,
        () ->
            connection.send(
                new ServerFrame.TaskInfo(
                    get.id(), Json.MAPPER.valueToTree(existing(get.taskId())))));
  }

  void list(Connection connection, ClientFrame.TaskList list) {
    PermissionDenied.requireEither(
        connection, Permission.TASK_SUBMIT, Permission.ADMIN, "task:list");
    lane.run(connection, list, () -> listTasks(connection, list));
  }

  private void listTasks(Connection connection, ClientFrame.TaskList list) {
    TaskState state;
    try {
      state = list.state() == null ? null : TaskState.fromWireName(list.state());
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.BAD_FRAME, e.getMessage());
    }
    int limit = list.limit() == null ? 100 : Math.max(0, Math.min(MAX_LIST, list.limit()));
    List<JsonNode> tasks =
        dispatcher.queue().list(state, limit).stream()
            .map(t -> Json.MAPPER.<JsonNode>valueToTree(t))
            .toList();
    connection.send(new ServerFrame.TaskListed(list.id(), tasks));
  }

  /** Submitters may cancel their own tasks; {@code admin} any. */
  void cancel(Connection connection, ClientFrame.TaskCancel cancel) {
    PermissionDenied.requireEither(
        connection, Permission.TASK_SUBMIT, Permission.ADMIN, "task:cancel");
    lane.run(connection, cancel, () -> cancelTask(connection, cancel));
  }

  private void cancelTask(Connection connection, ClientFrame.TaskCancel cancel) {
    Task task = existing(cancel.taskId());
    if (!connection.has(Permission.ADMIN) && !principal(connection).equals(task.submittedBy())) {
      throw new ProtocolException(
          ErrorCode.FORBIDDEN, "task " + cancel.taskId() + " belongs to another submitter");
    }
    String reason = cancel.reason() == null ? "cancelled by " + connection.id() : cancel.reason();
    dispatcher.cancel(cancel.taskId(), reason);
    Task now = dispatcher.queue().get(cancel.taskId()).orElse(task);
    connection.send(new ServerFrame.TaskInfo(cancel.id(), Json.MAPPER.valueToTree(now)));
  }

  void drain(Connection connection, ClientFrame.Drain drain) {
    if (!connection.isRegistered()) {
      throw new ProtocolException(ErrorCode.NOT_A_WORKER, "drain is for registered workers");
    }
    lane.run(connection, drain, () -> dispatcher.workerDraining(connection));
  }

  void shutdown(Connection connection, ClientFrame.Shutdown shutdown) {
    if (connection.type() != ClientType.WORKER) {
      throw new ProtocolException(ErrorCode.NOT_A_WORKER, "shutdown is for workers");
    }
    connection.close(CloseCodes.NORMAL, "Worker shutdown");
  }

  private Task existing(String taskId) {
    return dispatcher
        .queue()
        .get(taskId)
        .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no task " + taskId));
  }

  /** claude-mem workers take one task at a time; a cmws worker announces {@code concurrency}. */
  static int concurrency(JsonNode metadata) {
    JsonNode value = metadata == null ? null : metadata.get("concurrency");
    if (value == null || value.isNull()) {
      return 1;
    }
    if (!value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > MAX_CONCURRENCY) {
      throw new ProtocolException(
          ErrorCode.BAD_FRAME, "metadata.concurrency must be an integer 1.." + MAX_CONCURRENCY);
    }
    return value.asInt();
  }

  /**
   * Whom the per-submitter limit counts: the token, else the address (every tokenless client
   * there).
   */
  static String submitter(Connection connection) {
    return connection.tokenName() == null
        ? "address " + connection.peer().host()
        : "token " + connection.tokenName();
  }

  /** Who submits: the token's name, or "local" for tokenless clients. */
  static String principal(Connection connection) {
    return connection.tokenName() == null ? "local" : "token:" + connection.tokenName();
  }

  private static ObjectNode workerEvent(Connection connection) {
    ObjectNode data = Json.object();
    data.put("workerId", connection.id());
    return data;
  }
}
