package io.cmws.transport;

import io.cmws.hub.FrameSink;
import io.cmws.hub.HubMetrics;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.EventMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket connection as a {@link FrameSink}. Every frame, reply or event, goes through the
 * connection's bounded {@link Outbox}, so frames keep their order and a stalled client costs
 * bounded memory: past the limits it is closed with 4008 or loses its oldest events. Event frames
 * are the bytes built once per publish; nothing is copied per subscriber. A frame goes to the
 * socket at once, or at the end of the {@link WritePass} it arose in; only what the socket does not
 * take waits for the selector thread. Called from any thread.
 */
final class WsFrameSink implements FrameSink, WriteDemandSweeper.Watched {
  /** How long a closing handshake may take before the socket is simply dropped. */
  static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);

  private final LibrarySocket socket;

  /** Our side of the socket, for writing at once; null if the library's own channel is in use. */
  private final PumpingChannel channel;

  private final Outbox outbox;
  private final OutboxLimits limits;
  private final HubMetrics metrics;
  private final WriteDemandSweeper sweeper;
  private volatile int closeCode = CloseCodes.GOING_AWAY;
  private volatile boolean closing;
  private volatile long closeDeadline;

  WsFrameSink(
      LibrarySocket socket,
      PumpingChannel channel,
      WriteDemandSweeper sweeper,
      OutboxLimits limits,
      HubMetrics metrics) {
    this.socket = socket;
    this.channel = channel;
    this.sweeper = sweeper;
    this.limits = limits;
    this.outbox = new Outbox(limits);
    this.metrics = metrics;
  }

  /** The frames waiting for the socket; the channel writes them. */
  Outbox outbox() {
    return outbox;
  }

  @Override
  public boolean sendText(String json) {
    return enqueue(WireFrames.text(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public boolean sendEvent(EventMessage event, String pattern) {
    return enqueue(WsEventFrame.of(event, pattern));
  }

  /** A reply (a frame of its own) or an event (the read-only frame its subscribers share). */
  private boolean enqueue(ByteBuffer frame) {
    if (!socket.isOpen()) {
      return false;
    }
    Outbox.Offer offer = outbox.offer(frame);
    if (limits.policy() == SlowConsumerPolicy.DROP_OLDEST) {
      int dropped = outbox.takeDropped();
      if (dropped > 0) {
        metrics.eventsDropped(dropped);
      }
    }
    switch (offer) {
      case FIRST -> {
        if (!WritePass.defer(this)) {
          flush(); // no pass: a task outcome, a timer, another hub's event; it goes now
        }
      }
      case QUEUED -> {
        // a write is on its way: this thread's pass, another thread's flush, or the selector
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
   * Writes what waits, on this thread: frames reach an idle socket at once. Whatever the socket
   * does not take now (it is full, or the library has its own frames queued, or TLS) is left to the
   * selector thread, which writes it, gathered, when the socket drains.
   */
  void flush() {
    try {
      if (channel != null && channel.writeNow()) {
        return;
      }
    } catch (IOException e) {
      // the selector thread finds the socket broken and closes the connection
    }
    if (socket.isOpen()) {
      socket.requestWrite();
      sweeper.watch(this);
    }
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
    if (pending && writable && !socket.writeRequested()) {
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
