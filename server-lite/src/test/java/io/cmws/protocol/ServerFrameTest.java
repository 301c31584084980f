package io.cmws.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerFrameTest {

  @Test
  void writesTheReferenceShapes() {
    assertEquals("{\"type\":\"auth:success\"}", Json.write(ServerFrame.AuthSuccess.forWorker()));
    assertEquals(
        "{\"type\":\"auth:success\",\"clientId\":\"browser-2-x\",\"permissions\":[\"subscribe\"]}",
        Json.write(new ServerFrame.AuthSuccess("browser-2-x", List.of("subscribe"))));
    assertEquals(
        "{\"type\":\"registered\",\"workerId\":\"pending-3-1\",\"assignedCapabilities\":[\"a\"]}",
        Json.write(new ServerFrame.Registered("pending-3-1", List.of("a"))));
    assertEquals(
        "{\"type\":\"subscribed\",\"channels\":[]}",
        Json.write(new ServerFrame.Subscribed(List.of())));
    assertEquals("{\"type\":\"ping\"}", Json.write(new ServerFrame.Ping()));
    assertEquals(
        "{\"type\":\"error\",\"message\":\"Invalid message format\",\"code\":\"bad_json\"}",
        Json.write(ServerFrame.Error.of(ErrorCode.BAD_JSON, "Invalid message format")));
  }

  @Test
  void encodesAnEventOncePerPattern() {
    EventMessage event =
        new EventMessage("session:started", Json.parseOrString("{\"sessionId\":\"S1\"}"), 17, 3);
    assertEquals(
        "{\"type\":\"event\",\"channel\":\"session:started\",\"data\":{\"sessionId\":\"S1\"},"
            + "\"timestamp\":17,\"seq\":3,\"pattern\":\"session:*\"}",
        event.eventJson("session:*"));
    ByteBuffer first = event.wsFrame("session:*");
    ByteBuffer second = event.wsFrame("session:*");
    assertEquals(first, second);
    assertEquals(
        "data: {\"type\":\"session:started\",\"data\":{\"sessionId\":\"S1\"},\"timestamp\":17}\n\n",
        StandardCharsets.UTF_8.decode(event.sseFrame()).toString());
  }

  @Test
  void escapesChannelNames() {
    EventMessage event = new EventMessage("a\"b", Json.parseOrString("1"), 1, 1);
    assertEquals(
        "{\"type\":\"event\",\"channel\":\"a\\\"b\",\"data\":1,\"timestamp\":1,\"seq\":1}",
        event.eventJson(null));
  }

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
}
