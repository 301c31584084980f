package io.cmws.server;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.server.WebSocketServer;

/**
 * Works around a race in Java-WebSocket's server (its issue #145): the selector thread drains a
 * connection's out-queue and then sets the key's interest to OP_READ; a frame queued in between
 * by another thread re-requests OP_WRITE, which is then overwritten, and the frame waits until
 * the next send. Every connection that queued something is remembered here, and a frequent sweep
 * re-requests writing for any whose queue is non-empty without OP_WRITE interest. Thread-safe.
 */
final class WriteDemandSweeper {
  private final WebSocketServer server;
  private final Set<WebSocketImpl> recentlyWritten = ConcurrentHashMap.newKeySet();

  WriteDemandSweeper(WebSocketServer server) {
    this.server = server;
  }

  /** Called after queueing a frame on {@code socket}. */
  void written(WebSocketImpl socket) {
    recentlyWritten.add(socket);
  }

  /** Runs on a timer; cheap when nothing is pending. */
  void sweep() {
    for (WebSocketImpl socket : recentlyWritten) {
      if (socket.outQueue.isEmpty()) {
        recentlyWritten.remove(socket);
        if (!socket.outQueue.isEmpty()) {
          recentlyWritten.add(socket); // a frame came in while we looked away
        }
        continue;
      }
      SelectionKey key = socket.getSelectionKey();
      try {
        if (key == null || !key.isValid()) {
          recentlyWritten.remove(socket);
        } else if ((key.interestOps() & SelectionKey.OP_WRITE) == 0) {
          server.onWriteDemand(socket);
        }
      } catch (CancelledKeyException e) {
        recentlyWritten.remove(socket);
      }
    }
  }
}
