package io.cmws.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

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
    java.util.concurrent.atomic.AtomicInteger encoded =
        new java.util.concurrent.atomic.AtomicInteger();
    EventMessage.Encoding<String> counting =
        (e, pattern) -> encoded.incrementAndGet() + ":" + e.eventJson(pattern);
    String first = event.encoded(counting, "session:*");
    assertSame(first, event.encoded(counting, "session:*"), "built once, shared");
    assertEquals(1, encoded.get());
    String second = event.encoded(counting, "*");
    assertEquals(2, encoded.get(), "once per pattern");
    assertSame(second, event.encoded(counting, "*"), "a second pattern is shared as well");
    assertSame(first, event.encoded(counting, new String("session:*")), "equal, not identical");
    EventMessage.Encoding<String> other = (e, pattern) -> "other:" + pattern;
    assertEquals("other:session:*", event.encoded(other, "session:*"), "per encoding");
    assertEquals(2, encoded.get());
    event.encoded(counting, null);
    assertSame(event.encoded(counting, null), event.encoded(counting, null));
    assertEquals(3, encoded.get(), "no pattern is a pattern of its own");
    assertEquals(
        "{\"type\":\"session:started\",\"data\":{\"sessionId\":\"S1\"},\"timestamp\":17}",
        event.legacyJson());
  }

  @Test
  void theFramesWrittenByHandAreWhatJacksonWrites() {
    for (ServerFrame.HandWritten frame :
        List.of(
            new ServerFrame.Published("p-1", "k:x", 42),
            new ServerFrame.Published(null, "a\"b\\c\u0001\u00e9", Long.MAX_VALUE),
            new ServerFrame.Published("\u2028id", "k", 0),
            new ServerFrame.ConnectionPending("browser-1-x", true, "cmws", "0.1.0", 1),
            new ServerFrame.ConnectionPending("w\"1", false, null, null, null),
            ServerFrame.AuthSuccess.forWorker(),
            new ServerFrame.AuthSuccess("browser-2-x", List.of("subscribe", "task:submit")),
            new ServerFrame.AuthSuccess("c", List.of()))) {
      assertEquals(Json.write(frame), frame.json());
    }
  }

  @Test
  void escapesChannelNames() {
    EventMessage event = new EventMessage("a\"b", Json.parseOrString("1"), 1, 1);
    assertEquals(
        "{\"type\":\"event\",\"channel\":\"a\\\"b\",\"data\":1,\"timestamp\":1,\"seq\":1}",
        event.eventJson(null));
  }
}
