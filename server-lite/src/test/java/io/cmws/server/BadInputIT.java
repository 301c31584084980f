package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.enums.Opcode;
import org.java_websocket.framing.TextFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each malformed or forbidden frame gets an error frame (or a close code), and a well-behaved
 * subscriber on the same hub keeps receiving events afterwards.
 */
class BadInputIT {
  private static final int FRAME_LIMIT = 4096;
  private TestHub hub;
  private RawClient bystander;
  private RawClient publisher;
  private int probes;

  @BeforeEach
  void start() throws Exception {
    // tokens configured: a loopback browser without a token may subscribe but not publish
    hub =
        TestHub.start(
            c ->
                c.withMaxFrameBytes(FRAME_LIMIT)
                    .withHub(
                        c.hub()
                            .withAccess(
                                new AccessPolicy(
                                    new TokenRegistry(List.of(TokenSpec.parse("ops=s3cret"))),
                                    false))));
    bystander = hub.subscriber("probe:*");
    publisher = RawClient.greeted(hub.url());
    publisher
        .send("{\"type\":\"auth\",\"clientType\":\"browser\",\"token\":\"s3cret\"}")
        .expect("auth:success");
  }

  @AfterEach
  void stop() {
    publisher.close();
    bystander.close();
    hub.close();
  }

  /** The bystander still receives the next event, and nothing else. */
  private void assertHubStillServes() throws InterruptedException {
    probes++;
    publisher
        .send("{\"type\":\"publish\",\"channel\":\"probe:" + probes + "\",\"data\":" + probes + "}")
        .expect("published");
    JsonNode event = bystander.expect("event");
    assertEquals("probe:" + probes, event.get("channel").asText());
    assertEquals(probes, event.get("data").asInt());
  }

  private RawClient browser() throws InterruptedException {
    RawClient client = RawClient.greeted(hub.url());
    client.send("{\"type\":\"auth\"}").expect("auth:success");
    return client;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "null | bad_frame | a frame must be a JSON object with a string 'type'",
        "[] | bad_frame | a frame must be a JSON object with a string 'type'",
        "{} | bad_frame | a frame must have a string 'type'",
        "{\"type\":\"subscribe\"} | bad_frame | subscribe needs 'channels': an array of strings",
        "{\"type\":\"subscribe\",\"channels\":[1,null]} | bad_frame | 'channels[0]' must be a string, not number",
        "this is not json | bad_json | Invalid message format",
        "{\"type\":\"launch-missiles\"} | unknown_type | Unknown message type: launch-missiles",
        "{\"type\":\"subscribe\",\"channels\":[\"sess*\"]} | invalid_pattern | pattern 'sess*': '*' must be a whole segment, as in 'session:*'",
        "{\"type\":\"task:complete\",\"taskId\":\"T1\",\"result\":{}} | forbidden | Permission 'task:complete' required for task results",
        "{\"type\":\"publish\",\"channel\":\"probe:x\",\"data\":1} | forbidden | Permission 'broadcast' required for publish",
      })
  void answersWithAnErrorFrame(String frame, String code, String message) throws Exception {
    try (RawClient bad = browser()) {
      JsonNode error = bad.send(frame).expect("error");
      assertEquals(code, error.get("code").asText());
      assertEquals(message, error.get("message").asText());
      bad.send("{\"type\":\"subscribe\",\"channels\":[\"ok:*\"]}")
          .expect("subscribed"); // still usable
    }
    assertHubStillServes();
  }

  @Test
  void namesTheMissingPermission() throws Exception {
    try (RawClient bad = browser()) {
      JsonNode error =
          bad.send("{\"type\":\"publish\",\"channel\":\"probe:x\",\"data\":1,\"id\":\"p1\"}")
              .expect("error");
      assertEquals("broadcast", error.get("permission").asText());
      assertEquals("publish", error.get("request").asText());
      assertEquals("p1", error.get("id").asText());
    }
    assertHubStillServes();
  }

  @Test
  void malformedFramesBeforeAuthAreAnsweredToo() throws Exception {
    try (RawClient bad = RawClient.greeted(hub.url())) {
      assertEquals("bad_frame", bad.send("null").expect("error").get("code").asText());
      assertEquals(
          "unauthenticated",
          bad.send("{\"type\":\"subscribe\",\"channels\":[\"*\"]}")
              .expect("error")
              .get("code")
              .asText());
    }
    assertHubStillServes();
  }

  @Test
  void binaryFramesAreReadAsUtf8Json() throws Exception {
    try (RawClient bad = browser()) {
      assertEquals(
          "bad_json",
          bad.sendBinary(new byte[] {(byte) 0xff, 0x00, 0x13})
              .expect("error")
              .get("code")
              .asText());
      bad.sendBinary(
              "{\"type\":\"subscribe\",\"channels\":[\"probe:*\"]}"
                  .getBytes(StandardCharsets.UTF_8))
          .expect("subscribed");
    }
    assertHubStillServes();
  }

  @Test
  void aMessageSentInFragmentsIsReadAsOneAndATextFrameMayFollow() throws Exception {
    String publish = "{\"type\":\"publish\",\"channel\":\"probe:f\",\"data\":\"ü-fragments\"}";
    byte[] bytes = publish.getBytes(StandardCharsets.UTF_8);
    int cut = publish.indexOf('ü') + 1; // inside the two bytes of 'ü'
    WebSocketClient socket = publisher.socket();
    socket.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(bytes, 0, cut), false);
    socket.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(bytes, cut, 5), false);
    socket.sendFragmentedFrame(
        Opcode.TEXT, ByteBuffer.wrap(bytes, cut + 5, bytes.length - cut - 5), true);
    publisher.expect("published");
    assertEquals("ü-fragments", bystander.expect("event").get("data").asText());
    assertHubStillServes(); // a whole text frame after the fragmented message
  }

  @Test
  void invalidUtf8InATextFrameIsClosedWith1007() throws Exception {
    try (RawClient bad = browser()) {
      TextFrame frame = new TextFrame();
      frame.setPayload(ByteBuffer.wrap(new byte[] {'{', '"', (byte) 0xC3, '"', '}'}));
      bad.socket().sendFrame(frame);
      assertEquals(1007, bad.awaitClose().code());
    }
    assertHubStillServes();
  }

  @Test
  void oversizedFrameIsClosedWith1009() throws Exception {
    try (RawClient bad = browser()) {
      bad.send(
          "{\"type\":\"publish\",\"channel\":\"probe:x\",\"data\":\""
              + "x".repeat(FRAME_LIMIT)
              + "\"}");
      assertEquals(1009, bad.awaitClose().code());
    }
    assertHubStillServes();
    // counted when the closing handshake ends, which may be just after the client saw the close
    Awaitility.await("counted in /metrics")
        .atMost(Duration.ofSeconds(10))
        .until(() -> hub.get("/metrics").contains("cmws_errors_total{kind=\"frame_too_big\"} 1\n"));
  }

  @Test
  void publishToAnInvalidChannelIsRefused() throws Exception {
    for (String channel : List.of("probe:*", "probe::x", "", "x".repeat(256))) {
      JsonNode error =
          publisher
              .send("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":1}")
              .expect("error");
      assertEquals("invalid_channel", error.get("code").asText(), channel);
    }
    assertHubStillServes();
  }
}
