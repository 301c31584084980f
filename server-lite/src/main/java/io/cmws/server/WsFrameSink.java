package io.cmws.server;

import io.cmws.hub.FrameSink;
import io.cmws.protocol.EventMessage;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.server.WebSocketServer;

/**
 * A Java-WebSocket connection as a {@link FrameSink}. Events go out as the frame bytes {@link
 * EventMessage} built once per publish, appended to the connection's out-queue without copying;
 * the selector thread writes them.
 */
final class WsFrameSink implements FrameSink {
  private final WebSocketImpl socket;
  private final WebSocketServer server;
  private final WriteDemandSweeper sweeper;

  WsFrameSink(WebSocketImpl socket, WebSocketServer server, WriteDemandSweeper sweeper) {
    this.socket = socket;
    this.server = server;
    this.sweeper = sweeper;
  }

  @Override
  public boolean sendText(String json) {
    try {
      socket.send(json);
      sweeper.written(socket);
      return true;
    } catch (WebsocketNotConnectedException e) {
      return false;
    }
  }

  @Override
  public boolean sendEvent(EventMessage event, String pattern) {
    if (!socket.isOpen()) {
      return false;
    }
    socket.outQueue.add(event.wsFrame(pattern));
    server.onWriteDemand(socket);
    sweeper.written(socket);
    return true;
  }

  @Override
  public void sendPing() {
    try {
      socket.sendPing();
      sweeper.written(socket);
    } catch (WebsocketNotConnectedException e) {
      // closing anyway; the close callback cleans up
    }
  }

  @Override
  public void close(int code, String reason) {
    socket.close(code, reason);
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }
}
