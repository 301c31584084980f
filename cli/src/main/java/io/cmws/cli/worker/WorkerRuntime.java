package io.cmws.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.client.ConnectionStatus;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.client.HubKind;
import io.cmws.cli.client.Inbound;
import io.cmws.cli.support.Backoff;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.ExitCode;
import io.cmws.executor.TaskExecutor;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A worker's life: connect, register, heartbeat, run assigned tasks, report with the {@code
 * workerId} in every message, reconnect with capped backoff and jitter when the hub is lost, and on
 * {@link #requestStop()} drain. Speaks to a cmws hub, a claude-mem backend and a claude-mem
 * standalone hub alike: {@code auth} only with a token, dispatch on {@code task.type}.
 *
 * <p>{@link #run()} owns the connection on the calling thread; task threads only send reports.
 */
final class WorkerRuntime implements TaskRunner.Reporter {
  private static final Duration POLL = Duration.ofMillis(100);

  private final WorkerSettings settings;
  private final TaskRunner runner;
  private final WorkerLog log;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile HubConnection connection;
  private volatile String workerId;
  private volatile long generation;
  private volatile boolean stopRequested;
  private final LongSupplier ticker;

  /** {@code ticker}: nanoseconds, as {@link System#nanoTime}; heartbeats and drains run by it. */
  WorkerRuntime(
      WorkerSettings settings, ExecutorRegistry executors, WorkerLog log, LongSupplier ticker) {
    this.settings = settings;
    this.log = log;
    this.ticker = ticker;
    this.runner = new TaskRunner(settings.concurrency(), executors, this, ticker);
  }

  /**
   * Runs until stopped (exit 0) or refused by the hub (exit 5, no reconnect loop: claude-mem's
   * B14).
   */
  int run() {
    Backoff backoff = Backoff.standard();
    try {
      while (!stopRequested) {
        String happened;
        boolean lost = false;
        try {
          HubConnection connected =
              HubConnection.connect(settings.hubs().current(), settings.connectTimeout());
          try {
            String id = register(connected);
            backoff.reset();
            workerId = id;
            generation++;
            connection = connected;
            log.registered(
                id,
                settings.hubs().current().toString(),
                settings.capabilities(),
                settings.concurrency());
            Inbound.Closed closed = serve(connected);
            if (closed == null) {
              return ExitCode.OK;
            }
            happened = ConnectionStatus.lost(settings.hubs().current(), closed);
            lost = true;
          } finally {
            connected.close();
          }
        } catch (CliException e) {
          if (e.exitCode() == ExitCode.REJECTED || e.exitCode() == ExitCode.USAGE) {
            throw e;
          }
          happened = e.getMessage();
        }
        runner.abortAll("connection to the hub lost"); // the hub gives these tasks to others
        if (stopRequested) {
          log.status(happened);
        } else {
          Duration delay = backoff.next();
          URI next = settings.hubs().all().size() > 1 ? settings.hubs().advance() : null;
          log.status(ConnectionStatus.next(happened, lost, next, delay, backoff.attempt()));
          stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      return ExitCode.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.INTERRUPTED;
    } finally {
      runner.close();
      stopped.countDown();
    }
  }

  /** Asks a running worker to drain and stop; returns at once. */
  void requestStop() {
    stopRequested = true;
  }

  /** Waits for {@link #run()} to return. */
  boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private String register(HubConnection connected) {
    if (settings.token() != null && !settings.token().isEmpty()) {
      connected.send(
          new ClientFrame.Auth(null, settings.token(), null, null, null, null, null, null));
      JsonNode reply =
          connected.await(
              settings.connectTimeout(), "authentication", "auth:success", "auth:failed");
      if (reply.path("type").asText().equals("auth:failed")) {
        throw CliException.rejected(
            "the hub refused this worker: " + reply.path("reason").asText("no reason"));
      }
    }
    ObjectNode metadata =
        Json.object()
            .put("version", "cmws " + settings.version())
            .put("hostname", hostname())
            .put("name", settings.name() != null ? settings.name() : nameFromHost())
            .put("agent", "cmws")
            .put("concurrency", settings.concurrency());
    connected.send(new ClientFrame.Register(settings.capabilities(), metadata));
    try {
      return connected
          .await(settings.connectTimeout(), "register", "registered")
          .path("workerId")
          .asText();
    } catch (CliException e) {
      throw e.exitCode() == ExitCode.REJECTED && settings.token() == null
          ? CliException.rejected(
              e.getMessage() + " (this hub needs a worker token: --token or CMWS_TOKEN)")
          : e;
    }
  }

  /** Serves one connection; returns how it closed, or null after a requested stop. */
  private Inbound.Closed serve(HubConnection connected) throws InterruptedException {
    long nextHeartbeat = ticker.getAsLong() + settings.heartbeatInterval().toNanos();
    while (!stopRequested) {
      Optional<Inbound> next = connected.poll(POLL);
      if (ticker.getAsLong() >= nextHeartbeat) {
        connected.send(new ClientFrame.Heartbeat(workerId, runner.runningIds()));
        nextHeartbeat = ticker.getAsLong() + settings.heartbeatInterval().toNanos();
      }
      if (next.isPresent()) {
        if (next.get() instanceof Inbound.Closed closed) {
          return closed;
        }
        handle(connected, (Inbound.Frame) next.get());
      }
    }
    return drain(connected);
  }

  private void handle(HubConnection connected, Inbound.Frame frame) {
    switch (frame.type()) {
      case "task:assign" -> assign(connected, frame.node());
      case "task:cancel" ->
          runner.cancel(
              frame.node().path("taskId").asText(),
              frame.node().path("reason").asText("cancelled by the hub"));
      case "server:shutdown", "backend:shutdown" -> log.status("the hub is shutting down");
      case "error" -> log.status("hub says: " + frame.node().path("message").asText());
      default -> {}
    }
  }

  private void assign(HubConnection connected, JsonNode frame) {
    Assignment assignment = Assignment.from(frame, settings.defaultTaskTimeout());
    if (!assignment.isValid()) {
      log.status("ignoring a task:assign without task id or type: " + frame);
      return;
    }
    if (stopRequested) {
      refuse(connected, assignment, "worker is shutting down", true);
    } else if (!runner.hasCapacity()) {
      refuse(connected, assignment, "Worker busy", true);
    } else {
      Optional<TaskExecutor> executor = runner.executorFor(assignment);
      if (executor.isEmpty()) {
        refuse(
            connected,
            assignment,
            "no executor on this worker for task type '" + assignment.type() + "'",
            true);
        return;
      }
      RunningTask task = new RunningTask(assignment, generation, this, ticker);
      log.started(task);
      runner.start(task, executor.get());
    }
  }

  private void refuse(
      HubConnection connected, Assignment assignment, String error, boolean retryable) {
    connected.send(
        new ClientFrame.TaskError(assignment.taskId(), workerId, error, null, retryable));
    log.status("task " + assignment.taskId() + " refused: " + error);
  }

  /** Finishes running tasks within the drain timeout, then says goodbye. */
  private Inbound.Closed drain(HubConnection connected) throws InterruptedException {
    HubKind kind = HubKind.of(connected.client());
    if (kind.understandsDrain()) {
      connected.send(new ClientFrame.Drain(workerId));
    }
    log.status(
        "stopping: waiting up to "
            + settings.drainTimeout().toSeconds()
            + " s for "
            + runner.running()
            + " running tasks");
    long deadline = ticker.getAsLong() + settings.drainTimeout().toNanos();
    long nextHeartbeat = ticker.getAsLong();
    while (runner.busy() && ticker.getAsLong() < deadline) {
      if (ticker.getAsLong() >= nextHeartbeat) {
        connected.send(new ClientFrame.Heartbeat(workerId, runner.runningIds()));
        nextHeartbeat = ticker.getAsLong() + settings.heartbeatInterval().toNanos();
      }
      Optional<Inbound> next = connected.poll(POLL);
      if (next.isPresent() && next.get() instanceof Inbound.Frame frame) {
        handle(connected, frame);
      }
    }
    if (runner.busy()) {
      runner.abortAll("worker stopped before finishing (drain timeout)");
      runner.awaitIdle(Duration.ofSeconds(5));
    }
    if (kind.understandsShutdown()) {
      connected.send(new ClientFrame.Shutdown(workerId, "worker stopped"));
    } // claude-mem's backend knows no goodbye frame: the close (1000) says it
    log.status("stopped");
    return null;
  }

  @Override
  public void progress(RunningTask task, double percent, String message) {
    current(task)
        .ifPresent(
            s -> s.send(new ClientFrame.TaskProgress(task.taskId(), workerId, percent, message)));
  }

  @Override
  public void completed(RunningTask task, JsonNode result) {
    log.completed(task);
    current(task)
        .ifPresent(
            s ->
                s.send(
                    new ClientFrame.TaskComplete(
                        task.taskId(), workerId, result, task.elapsedMillis())));
  }

  @Override
  public void failed(RunningTask task, String error, boolean retryable) {
    log.failed(task, error, retryable);
    current(task)
        .ifPresent(
            s ->
                s.send(new ClientFrame.TaskError(task.taskId(), workerId, error, null, retryable)));
  }

  /**
   * The connection the task came in on, if it is still the current one; reports to a new one would
   * be refused.
   */
  private Optional<HubConnection> current(RunningTask task) {
    HubConnection now = connection;
    return task.generation == generation && now != null ? Optional.of(now) : Optional.empty();
  }

  /** The host name up to its first dot, made a valid worker name; "worker" if it cannot be. */
  private static String nameFromHost() {
    String name = hostname().split("\\.")[0].replaceAll("[^A-Za-z0-9_-]", "-");
    name = name.length() > 40 ? name.substring(0, 40) : name;
    return ClientFrame.Register.isWorkerName(name) ? name : "worker";
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
