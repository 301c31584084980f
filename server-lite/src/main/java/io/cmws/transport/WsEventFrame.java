package io.cmws.transport;

import io.cmws.protocol.EventMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** An event as the complete WebSocket text frame of its {@code event} JSON; shared. */
public final class WsEventFrame implements EventMessage.Encoding<ByteBuffer> {
  static final WsEventFrame INSTANCE = new WsEventFrame();

  private WsEventFrame() {}

  @Override
  public ByteBuffer encode(EventMessage event, String pattern) {
    return WireFrames.text(event.eventJson(pattern).getBytes(StandardCharsets.UTF_8))
        .asReadOnlyBuffer();
  }

  /**
   * The frame every subscriber of {@code pattern} gets: shared, read-only (which marks it as an
   * event to an outbox), never moved; writers keep their progress elsewhere.
   */
  public static ByteBuffer of(EventMessage event, String pattern) {
    return event.encoded(INSTANCE, pattern);
  }
}
