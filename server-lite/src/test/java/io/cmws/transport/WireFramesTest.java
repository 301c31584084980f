package io.cmws.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.protocol.EventMessage;
import io.cmws.protocol.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireFramesTest {

  @Test
  void framesPayloadsOfEveryLengthClass() {
    for (int length : new int[] {0, 125, 126, 65535, 65536}) {
      ByteBuffer frame = WireFrames.text(new byte[length]);
      assertEquals((byte) 0x81, frame.get(0));
      int header = length < 126 ? 2 : length <= 65535 ? 4 : 10;
      assertEquals(header + length, frame.remaining(), "length " + length);
      if (header == 4) {
        assertEquals(126, frame.get(1));
        assertEquals(length, frame.getShort(2) & 0xFFFF);
      } else if (header == 10) {
        assertEquals(127, frame.get(1));
        assertEquals(length, frame.getLong(2));
      } else {
        assertEquals(length, frame.get(1));
      }
    }
  }

  @Test
  void anEventFrameIsBuiltOncePerPatternSharedReadOnlyByEverySubscriber() {
    EventMessage event =
        new EventMessage("session:started", Json.parseOrString("{\"sessionId\":\"S1\"}"), 17, 3);
    ByteBuffer first = WsEventFrame.of(event, "session:*");
    assertSame(first, WsEventFrame.of(event, "session:*"), "one frame for every subscriber");
    assertTrue(first.isReadOnly(), "nobody writes into it; an outbox treats it as an event");
    assertEquals(0, first.position());
    String text = StandardCharsets.UTF_8.decode(first.duplicate().position(2)).toString();
    assertEquals(event.eventJson("session:*"), text);
    assertNotSame(first, WsEventFrame.of(event, "*"), "one per pattern");
  }
}
