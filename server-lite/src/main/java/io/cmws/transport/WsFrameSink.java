package io.cmws.transport;

import io.cmws.hub.FrameSink;
import io.cmws.hub.HubMetrics;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.EventMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.server.WebSocketServer;

/**
 * A Java-WebSocket connection as a {@link FrameSink}. Every frame, reply or event, goes through the
 * connection's bounded {@link Outbox}, so frames keep their order and a stalled client costs
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
  private final WriteScheduler scheduler;
  private volatile int closeCode = CloseCodes.GOING_AWAY;
  private volatile boolean scheduled;

  WsFrameSink(
      WebSocketImpl socket,
      WebSocketServer server,
      WriteDemandSweeper sweeper,
      WriteScheduler scheduler,
      OutboxLimits limits,
      HubMetrics metrics) {
    this.scheduler = scheduler;
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
        sweeper.written(this);
        if (droppable) {
          scheduler.request(this); // events may wait a moment to share a write with the next ones
        } else {
          demandWrite(); // replies go now, and take whatever events wait with them
        }
      }
      case QUEUED -> {
        if (!droppable) {
          demandWrite();
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

  /** Writes one of the library's own frames after the rest of a partly written one of ours. */
  int writeLibraryFrame(ByteBuffer frame, java.nio.channels.ByteChannel channel)
      throws java.io.IOException {
    return outbox.writeLibraryFrame(frame, channel);
  }

  /** Writes waiting frames; on the selector thread. */
  void flush(java.nio.channels.ByteChannel channel) throws java.io.IOException {
    if (channel instanceof java.nio.channels.GatheringByteChannel gathering) {
      outbox.writeTo(gathering);
    } else {
      outbox.writeEach(channel);
    }
  }

  WebSocketImpl socket() {
    return socket;
  }

  boolean hasWaiting() {
    return !outbox.isEmpty();
  }

  /** Whether the write scheduler holds a write request of this connection. */
  boolean isScheduled() {
    return scheduled;
  }

  void scheduled(boolean value) {
    scheduled = value;
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
    outbox.moveTo(socket.outQueue); // what we said before closing goes out before the close frame
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
