package io.cmws.transport;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.server.WebSocketServer;

/**
 * Keeps queued frames moving. Works around a race in Java-WebSocket's server (its issue #145): the
 * selector thread drains a connection's out-queue and then sets the key's interest to OP_READ; a
 * frame queued in between re-requests OP_WRITE, which is overwritten, and would wait for the next
 * send. Every connection that queued something is remembered; a frequent sweep tops up its
 * out-queue from the outbox and re-requests writing where frames wait without OP_WRITE interest.
 * Thread-safe.
 */
final class WriteDemandSweeper {
  /** How long a closing handshake may take before the socket is simply dropped. */
  static final long CLOSE_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);

  private final Set<WsFrameSink> recentlyWritten = ConcurrentHashMap.newKeySet();
  private final java.util.Map<WsFrameSink, Long> closing = new ConcurrentHashMap<>();

  WriteDemandSweeper(WebSocketServer server) {
    // the server is reached through each sink
  }

  /** Called after queueing a frame. */
  void written(WsFrameSink sink) {
    recentlyWritten.add(sink);
  }

  /**
   * A close was started. A peer that does not read (stalled) or is gone without a FIN (half-open)
   * never answers the close frame; after a grace period its socket is dropped.
   */
  void closing(WsFrameSink sink) {
    closing.putIfAbsent(sink, System.nanoTime() + CLOSE_GRACE_NANOS);
  }

  /** Runs on a timer; cheap when nothing is pending. */
  void sweep() {
    long now = System.nanoTime();
    closing.forEach(
        (sink, deadline) -> {
          if (sink.socket().isClosed()) {
            closing.remove(sink);
          } else if (now - deadline > 0) {
            closing.remove(sink);
            recentlyWritten.remove(sink);
            sink.socket().closeConnection(sink.closeCode(), "close handshake timed out");
          }
        });
    for (WsFrameSink sink : recentlyWritten) {
      WebSocketImpl socket = sink.socket();
      if (socket.outQueue.isEmpty() && !sink.hasWaiting()) {
        recentlyWritten.remove(sink);
        if (!socket.outQueue.isEmpty() || sink.hasWaiting()) {
          recentlyWritten.add(sink); // a frame came in while we looked away
        }
        continue;
      }
      SelectionKey key = socket.getSelectionKey();
      try {
        if (key == null || !key.isValid() || !socket.isOpen()) {
          recentlyWritten.remove(sink);
        } else if ((key.interestOps() & SelectionKey.OP_WRITE) == 0 && !sink.isScheduled()) {
          sink.demandWrite();
        }
      } catch (CancelledKeyException e) {
        recentlyWritten.remove(sink);
      }
    }
  }
}
