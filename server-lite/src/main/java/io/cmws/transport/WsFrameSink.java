package io.cmws.transport;

import io.cmws.hub.FrameSink;
import io.cmws.hub.HubMetrics;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.EventMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A WebSocket connection as a {@link FrameSink}. Every frame, reply or event, goes through the
 * connection's bounded {@link Outbox}, so frames keep their order and a stalled client costs
 * bounded memory: past the limits it is closed with 4008 or loses its oldest events. Event frames
 * are the bytes built once per publish; nothing is copied per subscriber. Called from any thread.
 */
final class WsFrameSink implements FrameSink, WriteDemandSweeper.Watched {
  /** How long a closing handshake may take before the socket is simply dropped. */
  static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);

  private final LibrarySocket socket;
  private final Outbox outbox;
  private final OutboxLimits limits;
  private final HubMetrics metrics;
  private final WriteScheduler scheduler;
  private final WriteDemandSweeper sweeper;

  /** Set while the scheduler holds a write request of ours: the sweeper then leaves it be. */
  private final AtomicBoolean scheduled = new AtomicBoolean();

  private final Runnable scheduledWrite;
  private volatile int closeCode = CloseCodes.GOING_AWAY;
  private volatile boolean closing;
  private volatile long closeDeadline;

  WsFrameSink(
      LibrarySocket socket,
      WriteScheduler scheduler,
      WriteDemandSweeper sweeper,
      OutboxLimits limits,
      HubMetrics metrics) {
    this.socket = socket;
    this.scheduler = scheduler;
    this.sweeper = sweeper;
    this.limits = limits;
    this.outbox = new Outbox(limits);
    this.metrics = metrics;
    this.scheduledWrite =
        () -> {
          scheduled.set(false);
          socket.requestWrite();
        };
  }

  /** The frames waiting for the socket; the channel writes them. */
  Outbox outbox() {
    return outbox;
  }

  @Override
  public boolean sendText(String json) {
    return enqueue(WireFrames.text(json.getBytes(StandardCharsets.UTF_8)), false);
  }

  @Override
  public boolean sendEvent(EventMessage event, String pattern) {
    return enqueue(WsEventFrame.of(event, pattern), true);
  }

  private boolean enqueue(ByteBuffer frame, boolean droppable) {
    if (!socket.isOpen()) {
      return false;
    }
    int[] dropped = new int[1];
    Outbox.Offer offer = outbox.offer(frame, droppable, dropped);
    if (dropped[0] > 0) {
      metrics.eventsDropped(dropped[0]);
    }
    switch (offer) {
      case FIRST -> {
        sweeper.watch(this);
        if (!droppable) {
          socket.requestWrite(); // replies go now, and take whatever events wait with them
        } else if (scheduled.compareAndSet(false, true)) {
          scheduler.request(scheduledWrite); // events may wait a moment to share a write
        }
      }
      case QUEUED -> {
        if (!droppable) {
          socket.requestWrite();
        }
      }
      case OVERFLOW -> {
        metrics.slowConsumer(limits.policy().wireName());
        outbox.clear();
        close(CloseCodes.SLOW_CONSUMER, "slow consumer");
        return false;
      }
    }
    return true;
  }

  /**
   * From the sweeper: drops a socket whose closing handshake timed out (a client that stopped
   * reading, or vanished without a FIN), and re-requests a write the selector may have lost.
   */
  @Override
  public boolean check(long nowNanos) {
    if (closing) {
      if (socket.isClosed()) {
        return false;
      }
      if (nowNanos - closeDeadline > 0) {
        socket.closeNow(closeCode, "close handshake timed out");
        return false;
      }
    }
    boolean pending = socket.hasOwnFrames() || !outbox.isEmpty();
    boolean writable = socket.writable();
    if (pending && writable && !socket.writeRequested() && !scheduled.get()) {
      socket.requestWrite();
    }
    return closing || (pending && writable);
  }

  @Override
  public void sendPing() {
    socket.sendPing();
    sweeper.watch(this);
  }

  @Override
  public void close(int code, String reason) {
    closeCode = code;
    outbox.moveTo(socket::queueBeforeLibraryFrames); // what we said goes out before the close
    socket.close(code, reason);
    if (!closing) {
      closeDeadline = System.nanoTime() + CLOSE_GRACE_NANOS;
      closing = true;
    }
    sweeper.watch(this);
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }
}
