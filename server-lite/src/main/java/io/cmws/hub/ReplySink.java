package io.cmws.hub;

import io.cmws.protocol.EventMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An in-process asker: keeps the first frame the hub sends back, ignores events. Any thread. */
final class ReplySink implements FrameSink {
  private final CompletableFuture<String> reply = new CompletableFuture<>();

  @Override
  public boolean sendText(String json) {
    reply.complete(json);
    return true;
  }

  @Override
  public boolean sendEvent(EventMessage event, String pattern) {
    return true;
  }

  @Override
  public void close(int code, String reason) {
    reply.completeExceptionally(new IllegalStateException("closed: " + code + " " + reason));
  }

  @Override
  public boolean isOpen() {
    return !reply.isDone();
  }

  /** The reply as JSON text, within {@code timeout}. */
  String await(Duration timeout) throws InterruptedException, TimeoutException {
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }
}
