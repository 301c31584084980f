package io.cmws.transport;

import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.server.WebSocketServer;

/**
 * The one place the write path reaches into Java-WebSocket's connection internals: its out-queue
 * (where the library's own frames wait), its selection key, and the request that makes the selector
 * thread write. Called from any thread, as the library allows.
 */
final class LibrarySocket {
  private final WebSocketImpl socket;
  private final WebSocketServer server;

  LibrarySocket(WebSocket socket, WebSocketServer server) {
    this.socket = (WebSocketImpl) socket;
    this.server = server;
  }

  boolean isOpen() {
    return socket.isOpen();
  }

  boolean isClosed() {
    return socket.isClosed();
  }

  /** Asks the selector thread to write (it then calls the channel's write methods). */
  void requestWrite() {
    server.onWriteDemand(socket);
  }

  /** Whether the selector will write this connection when it can: its key wants OP_WRITE. */
  boolean writeRequested() {
    SelectionKey key = socket.getSelectionKey();
    try {
      return key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) != 0;
    } catch (CancelledKeyException e) {
      return false;
    }
  }

  /**
   * Whether the connection can still be written to at all: also while closing, when the close frame
   * (and what we said before it) still has to go out.
   */
  boolean writable() {
    SelectionKey key = socket.getSelectionKey();
    return key != null && key.isValid() && !socket.isClosed();
  }

  /** Whether the library has frames of its own (pong, close) waiting. */
  boolean hasOwnFrames() {
    return !socket.outQueue.isEmpty();
  }

  /** Queues a frame of ours in the library's queue, e.g. ahead of the close frame it adds next. */
  void queueBeforeLibraryFrames(ByteBuffer frame) {
    socket.outQueue.add(frame);
  }

  /** The closing handshake: a close frame, then the socket closes once the client answers. */
  void close(int code, String reason) {
    socket.close(code, reason);
  }

  /** Drops the socket without a closing handshake (a client that never answers). */
  void closeNow(int code, String reason) {
    socket.closeConnection(code, reason);
  }

  /** A WebSocket ping control frame; nothing if the connection is closing. */
  void sendPing() {
    try {
      socket.sendPing();
    } catch (WebsocketNotConnectedException e) {
      // closing anyway; the close callback cleans up
    }
  }

  /** Whether the library has frames of its own waiting on {@code key}'s connection. */
  static boolean hasOwnFrames(SelectionKey key) {
    return key.attachment() instanceof WebSocketImpl socket && !socket.outQueue.isEmpty();
  }

  /** Whether the library has at most one frame left to write on {@code key}'s connection. */
  static boolean writingLastLibraryFrame(SelectionKey key) {
    return key.attachment() instanceof WebSocketImpl socket && socket.outQueue.size() <= 1;
  }
}
