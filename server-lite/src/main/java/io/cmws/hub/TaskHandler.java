package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.Json;
import io.cmws.protocol.ProtocolException;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.Task;
import io.cmws.tasks.TaskDefaults;
import io.cmws.tasks.TaskDispatcher;
import io.cmws.tasks.TaskJournal;
import io.cmws.tasks.TaskQueue;
import io.cmws.tasks.TaskRequest;
import io.cmws.tasks.TaskState;
import java.util.List;

/**
 * Task frames: submissions and queries from clients, reports from workers. Permission checks here;
 * ownership of running tasks in {@link TaskDispatcher}.
 */
final class TaskHandler {
  static final int MAX_LIST = 1000;
  static final int MAX_CONCURRENCY = 1024;

  private final TaskDispatcher dispatcher;
  private final TaskDefaults defaults;
  private final TaskJournal journal;
  private final HubMetrics metrics;

  TaskHandler(
      TaskDispatcher dispatcher, TaskDefaults defaults, TaskJournal journal, HubMetrics metrics) {
    this.metrics = metrics;
    this.dispatcher = dispatcher;
    this.defaults = defaults;
    this.journal = journal;
  }

  TaskDispatcher dispatcher() {
    return dispatcher;
  }

  void submit(Connection connection, ClientFrame.TaskSubmit submit) {
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
    } catch (TaskDispatcher.SubmitterLimitException e) {
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
    Task task =
        dispatcher
            .queue()
            .get(get.taskId())
            .orElseThrow(
                () -> new ProtocolException(ErrorCode.NOT_FOUND, "no task " + get.taskId()));
    connection.send(new ServerFrame.TaskInfo(get.id(), Json.MAPPER.valueToTree(task)));
  }

  void list(Connection connection, ClientFrame.TaskList list) {
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
    Task task =
        dispatcher
            .queue()
            .get(cancel.taskId())
            .orElseThrow(
                () -> new ProtocolException(ErrorCode.NOT_FOUND, "no task " + cancel.taskId()));
    if (!connection.has(Permission.ADMIN) && !principal(connection).equals(task.submittedBy())) {
      throw new ProtocolException(
          ErrorCode.FORBIDDEN, "task " + cancel.taskId() + " belongs to another submitter");
    }
    dispatcher.cancel(
        cancel.taskId(),
        cancel.reason() == null ? "cancelled by " + connection.id() : cancel.reason());
    Task now = dispatcher.queue().get(cancel.taskId()).orElse(task);
    connection.send(new ServerFrame.TaskInfo(cancel.id(), Json.MAPPER.valueToTree(now)));
  }

  void registered(Connection connection, ClientFrame.Register register) {
    dispatcher.workerRegistered(
        connection, register.capabilities(), concurrency(register.metadata()));
  }

  void report(Connection connection, ClientFrame frame) {
    if (frame instanceof ClientFrame.TaskProgress p) {
      dispatcher.progress(connection, p.taskId(), p.progress(), p.message());
    } else if (frame instanceof ClientFrame.TaskComplete c) {
      dispatcher.complete(connection, c.taskId(), c.result());
    } else if (frame instanceof ClientFrame.TaskError e) {
      dispatcher.fail(connection, e.taskId(), e.error(), e.retryable() == null || e.retryable());
    }
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
}
