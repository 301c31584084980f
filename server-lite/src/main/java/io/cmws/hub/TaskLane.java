package io.cmws.hub;

import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.ProtocolException;
import io.cmws.tasks.TaskQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where task work runs: in place on the caller's thread for a hub of its own, or on one thread of
 * its own when the queue lives in Redis and may wait on it, so a transport thread never blocks.
 * Errors become error frames to the connection, or log lines for timer work. Thread-safe.
 */
final class TaskLane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskLane.class);

  private final Executor executor;
  private final ErrorReplies replies;

  private TaskLane(Executor executor, ErrorReplies replies) {
    this.executor = executor;
    this.replies = replies;
  }

  /** Runs work on the calling thread. */
  static TaskLane inPlace(ErrorReplies replies) {
    return new TaskLane(Runnable::run, replies);
  }

  /** Runs work, in order, on a daemon thread named {@code cmws-task-lane}. */
  static TaskLane ownThread(ErrorReplies replies) {
    return new TaskLane(
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "cmws-task-lane");
              thread.setDaemon(true);
              return thread;
            }),
        replies);
  }

  /** Runs a frame's work; a refusal or failure becomes an error frame to {@code connection}. */
  void run(Connection connection, ClientFrame frame, Runnable work) {
    try {
      executor.execute(() -> answered(connection, frame, work));
    } catch (RejectedExecutionException stopping) {
      // the lane is shut down only while the hub stops; the client is being closed with 1001
      replies.send(
          connection,
          frame,
          new ProtocolException(ErrorCode.UNAVAILABLE, CloseCodes.SHUTTING_DOWN_REASON));
    }
  }

  private void answered(Connection connection, ClientFrame frame, Runnable work) {
    try {
      work.run();
    } catch (ProtocolException e) {
      replies.send(connection, frame, e);
    } catch (TaskQueue.UnavailableException e) {
      replies.send(connection, frame, new ProtocolException(ErrorCode.UNAVAILABLE, e.getMessage()));
    } catch (RuntimeException e) {
      String type = ClientFrame.typeName(frame);
      LOG.error("Internal error handling {} from {}", type, connection, e);
      replies.send(
          connection,
          frame,
          new ProtocolException(ErrorCode.INTERNAL, "Internal error handling " + type));
    }
  }

  /** Runs timer or signal work; a failure is logged as {@code what} failing. */
  void execute(String what, Runnable work) {
    executor.execute(() -> guarded(what, work));
  }

  /** As {@link #execute}, unless the same work is queued already (ticks and wake-ups pile up). */
  void once(AtomicBoolean queued, String what, Runnable work) {
    if (queued.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            queued.set(false);
            guarded(what, work);
          });
    }
  }

  private static void guarded(String what, Runnable work) {
    try {
      work.run();
    } catch (TaskQueue.UnavailableException e) {
      LOG.debug("{} skipped: {}", what, e.getMessage()); // the bus already said Redis is down
    } catch (RuntimeException e) {
      LOG.error("{} failed", what, e);
    }
  }

  @Override
  public void close() {
    if (executor instanceof ExecutorService service) {
      service.shutdown();
    }
  }
}
