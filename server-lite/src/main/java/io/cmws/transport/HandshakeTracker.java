package io.cmws.transport;

import io.cmws.hub.HubMetrics;
import java.net.InetAddress;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.framing.CloseFrame;

/**
 * Connections between accept and the end of their WebSocket handshake: counted (a gauge in {@code
 * /metrics}), limited per remote address, and closed when overdue. Java-WebSocket itself keeps a
 * half-sent upgrade request open forever. Thread-safe: {@link #started} runs on the selector
 * thread, {@link Handshake#ended} on whichever thread opens or closes the connection, {@link
 * #closeOverdue} on the hub's timer.
 */
final class HandshakeTracker {
  private final long timeoutNanos;
  private final int maxPerAddress;
  private final boolean limitLoopback;
  private final HubMetrics metrics;
  private final LongSupplier nanoTime;

  /** In start order, which is deadline order: the timeout is the same for all. */
  private final Queue<Handshake> unfinished = new ConcurrentLinkedQueue<>();

  private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

  HandshakeTracker(
      HandshakeLimits limits, boolean limitLoopback, HubMetrics metrics, LongSupplier nanoTime) {
    this.timeoutNanos = limits.timeout().toNanos();
    this.maxPerAddress = limits.maxPerAddress();
    this.limitLoopback = limitLoopback;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /**
   * A connection was accepted; null when its address already has too many unfinished handshakes.
   */
  Handshake started(WebSocketImpl socket, InetAddress remote) {
    InetAddress counted =
        remote != null && (limitLoopback || !remote.isLoopbackAddress()) ? remote : null;
    if (counted != null && perAddress.merge(counted, 1, Integer::sum) > maxPerAddress) {
      release(counted);
      metrics.limitRejected("handshakes_per_address");
      return null;
    }
    Handshake handshake = new Handshake(socket, counted, nanoTime.getAsLong() + timeoutNanos);
    metrics.handshakeStarted();
    unfinished.add(handshake);
    return handshake;
  }

  /** Closes every connection whose handshake is overdue; forgets those that ended. */
  void closeOverdue() {
    long now = nanoTime.getAsLong();
    for (Handshake head = unfinished.peek(); head != null; head = unfinished.peek()) {
      if (!head.isEnded() && now - head.deadlineNanos < 0) {
        return; // every later one is due later still
      }
      unfinished.poll();
      WebSocketImpl socket = head.socket;
      if (!head.isEnded() && socket != null) {
        metrics.limitRejected("handshake_timeout");
        socket.closeConnection(CloseFrame.NEVER_CONNECTED, "handshake timeout");
        head.ended(); // in case the close did not reach the channel
      }
    }
  }

  private void release(InetAddress address) {
    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  /** One connection's handshake; ends exactly once, by opening or by closing. */
  final class Handshake {
    private volatile WebSocketImpl socket;
    private final InetAddress address;
    private final long deadlineNanos;
    private final AtomicBoolean ended = new AtomicBoolean();

    private Handshake(WebSocketImpl socket, InetAddress address, long deadlineNanos) {
      this.socket = socket;
      this.address = address;
      this.deadlineNanos = deadlineNanos;
    }

    boolean isEnded() {
      return ended.get();
    }

    /** The handshake completed, failed or the connection closed; idempotent. */
    void ended() {
      if (ended.compareAndSet(false, true)) {
        socket =
            null; // the queue may hold this a while longer; the connection need not stay reachable
        metrics.handshakeEnded();
        if (address != null) {
          release(address);
        }
      }
    }
  }
}
