package io.cmws.server;

import io.cmws.hub.FrameSink;
import io.cmws.hub.HubMetrics;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.WireFrames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.server.WebSocketServer;

/**
 * A Java-WebSocket connection as a {@link FrameSink}. Every frame, reply or event, goes through
 * the connection's bounded {@link Outbox}, so frames keep their order and a stalled client costs
 * bounded memory: past the limits it is closed with 4008 or loses its oldest events. Event frames
 * are the bytes {@link EventMessage} built once per publish; nothing is copied per subscriber.
 */
final class WsFrameSink implements FrameSink {
  private final WebSocketImpl socket;
  private final WebSocketServer server;
  private final WriteDemandSweeper sweeper;
  private final Outbox outbox;
  private final OutboxLimits limits;
  private final HubMetrics metrics;
  private volatile int closeCode = CloseCodes.GOING_AWAY;

  WsFrameSink(WebSocketImpl socket, WebSocketServer server, WriteDemandSweeper sweeper, OutboxLimits limits,
      HubMetrics metrics) {
    this.socket = socket;
    this.server = server;
    this.sweeper = sweeper;
    this.limits = limits;
    this.outbox = new Outbox(limits);
    this.metrics = metrics;
  }

  @Override
  public boolean sendText(String json) {
    return enqueue(WireFrames.text(json.getBytes(StandardCharsets.UTF_8)), false);
  }

  @Override
  public boolean sendEvent(EventMessage event, String pattern) {
    return enqueue(event.wsFrame(pattern), true);
  }

  private boolean enqueue(ByteBuffer frame, boolean droppable) {
    if (!socket.isOpen()) {
      return false;
    }
    int[] dropped = new int[1];
    Outbox.Offer offer = outbox.offer(frame, droppable, socket.outQueue, dropped);
    if (dropped[0] > 0) {
      metrics.eventsDropped(dropped[0]);
    }
    switch (offer) {
      case WIRE -> server.onWriteDemand(socket);
      case QUEUED -> { }
      case OVERFLOW -> {
        metrics.slowConsumer(limits.policy().wireName());
        outbox.clear();
        close(CloseCodes.SLOW_CONSUMER, "slow consumer");
        return false;
      }
    }
    sweeper.written(this);
    return true;
  }

  /** Moves waiting frames on; called on the selector thread after a write, and by the sweeper. */
  int pump() {
    return outbox.transfer(socket.outQueue);
  }

  WebSocketImpl socket() {
    return socket;
  }

  boolean hasWaiting() {
    return !outbox.isEmpty();
  }

  void demandWrite() {
    server.onWriteDemand(socket);
  }

  @Override
  public void sendPing() {
    try {
      socket.sendPing();
      sweeper.written(this);
    } catch (WebsocketNotConnectedException e) {
      // closing anyway; the close callback cleans up
    }
  }

  @Override
  public void close(int code, String reason) {
    closeCode = code;
    socket.close(code, reason);
    sweeper.closing(this);
  }

  int closeCode() {
    return closeCode;
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }
}
