package io.cmws.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

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
  void anEventFrameIsBuiltOncePerPatternAndEachSubscriberGetsItsOwnView() {
    EventMessage event =
        new EventMessage("session:started", Json.parseOrString("{\"sessionId\":\"S1\"}"), 17, 3);
    ByteBuffer first = WsEventFrame.of(event, "session:*");
    ByteBuffer second = WsEventFrame.of(event, "session:*");
    assertNotSame(first, second, "positions are per subscriber");
    assertEquals(first, second);
    first.get(new byte[first.remaining()]);
    assertEquals(2 + event.eventJson("session:*").length(), second.remaining(), "untouched");
    String text = StandardCharsets.UTF_8.decode(second.position(2)).toString();
    assertEquals(event.eventJson("session:*"), text);
  }
}
