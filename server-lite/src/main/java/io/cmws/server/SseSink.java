package io.cmws.server;

import io.cmws.hub.FrameSink;
import io.cmws.hub.HubMetrics;
import io.cmws.protocol.EventMessage;
import io.cmws.transport.SlowConsumerPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A legacy SSE consumer as a {@link FrameSink}: events queue here (bounded; a consumer that falls
 * that far behind is dropped) and the HTTP handler thread writes them out. Only events are sent:
 * the SSE stream has no control frames.
 */
final class SseSink implements FrameSink {
  private static final ByteBuffer CLOSE = ByteBuffer.allocate(0);

  /** The legacy SSE frame of reference-protocol §4.8: {@code data: {type, data, timestamp}}. */
  private static final EventMessage.Encoding<ByteBuffer> SSE_FRAME =
      (event, pattern) ->
          ByteBuffer.wrap(
              ("data: " + event.legacyJson() + "\n\n").getBytes(StandardCharsets.UTF_8));

  private final BlockingQueue<ByteBuffer> queue;
  private final HubMetrics metrics;
  private volatile boolean open = true;

  SseSink(int capacity, HubMetrics metrics) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.metrics = metrics;
  }

  @Override
  public boolean sendText(String json) {
    return open; // hub control frames have no SSE form
  }

  @Override
  public boolean sendEvent(EventMessage event, String pattern) {
    if (!open) {
      return false;
    }
    if (!queue.offer(event.encoded(SSE_FRAME, null).asReadOnlyBuffer())) {
      metrics.slowConsumer(SlowConsumerPolicy.DISCONNECT.wireName());
      close(0, "slow consumer");
      return false;
    }
    return true;
  }

  @Override
  public void close(int code, String reason) {
    open = false;
    queue.clear();
    queue.offer(CLOSE);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** The next frame, null after {@code timeoutMillis} without one, or {@link #isEnd} at close. */
  ByteBuffer next(long timeoutMillis) throws InterruptedException {
    return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  static boolean isEnd(ByteBuffer frame) {
    return frame == CLOSE;
  }
}
