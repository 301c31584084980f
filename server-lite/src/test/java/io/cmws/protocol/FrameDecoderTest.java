package io.cmws.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameDecoderTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "null | BAD_FRAME | a frame must be a JSON object with a string 'type'",
        "[] | BAD_FRAME | a frame must be a JSON object with a string 'type'",
        "{} | BAD_FRAME | a frame must have a string 'type'",
        "{\"type\":7} | BAD_FRAME | a frame must have a string 'type'",
        "{\"type\":\"subscribe\"} | BAD_FRAME | subscribe needs 'channels': an array of strings",
        "{\"type\":\"subscribe\",\"channels\":[1,null]} | BAD_FRAME | 'channels[0]' must be a string, not number",
        "{\"type\":\"subscribe\",\"channels\":\"a\"} | BAD_FRAME | subscribe needs 'channels': an array of strings",
        "{\"type\":\"unsubscribe\"} | BAD_FRAME | unsubscribe needs 'channels': an array of strings",
        "{\"type\":\"register\"} | BAD_FRAME | register needs 'capabilities': an array of strings",
        "{\"type\":\"publish\",\"channel\":\"a\"} | BAD_FRAME | publish needs 'data' (any JSON value; use null for none)",
        "{\"type\":\"publish\",\"data\":1} | BAD_FRAME | publish needs 'channel': a string",
        "{\"type\":\"auth\",\"token\":5} | BAD_FRAME | 'token' must be a string",
        "{\"type\":\"task:complete\"} | BAD_FRAME | task:complete needs 'taskId': a string",
        "{\"type\":\"nope\"} | UNKNOWN_TYPE | Unknown message type: nope",
        "not json | BAD_JSON | Invalid message format",
        "{\"type\":\"auth\" | BAD_JSON | Invalid message format",
        "{\"type\":\"ping\"} trailing | BAD_JSON | Invalid message format",
      })
  void rejectsWithAClearMessage(String text, ErrorCode code, String message) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> FrameDecoder.decode(text));
    assertEquals(code, e.code());
    assertEquals(message, e.getMessage());
  }

  @Test
  void decodesTheReferenceFrames() {
    assertEquals(
        new ClientFrame.Auth(null, null, null, null, null, null, null, null),
        FrameDecoder.decode("{\"type\":\"auth\"}"));
    assertEquals(
        new ClientFrame.Subscribe(List.of("session:*", "*")),
        FrameDecoder.decode("{\"type\":\"subscribe\",\"channels\":[\"session:*\",\"*\"]}"));
    ClientFrame.Register register =
        assertInstanceOf(
            ClientFrame.Register.class,
            FrameDecoder.decode(
                "{\"type\":\"register\",\"capabilities\":[\"observation:mistral\"],\"metadata\":{\"version\":\"3.0.4\"}}"));
    assertEquals(List.of("observation:mistral"), register.capabilities());
    assertEquals("3.0.4", register.metadata().get("version").asText());
    ClientFrame.Heartbeat heartbeat =
        assertInstanceOf(
            ClientFrame.Heartbeat.class,
            FrameDecoder.decode("{\"type\":\"heartbeat\",\"workerId\":\"w\",\"currentTasks\":[]}"));
    assertEquals("w", heartbeat.workerId());
  }

  @Test
  void keepsPublishDataIncludingNull() {
    ClientFrame.Publish publish =
        assertInstanceOf(
            ClientFrame.Publish.class,
            FrameDecoder.decode(
                "{\"type\":\"publish\",\"channel\":\"a\",\"data\":null,\"id\":42}"));
    assertEquals("42", publish.id());
    assertEquals(true, publish.data().isNull());
    ClientFrame.Publish withoutId =
        assertInstanceOf(
            ClientFrame.Publish.class,
            FrameDecoder.decode("{\"type\":\"publish\",\"channel\":\"a\",\"data\":{\"k\":[1]}}"));
    assertNull(withoutId.id());
  }

  @Test
  void encodesWithoutNullFieldsButKeepsNullData() {
    assertEquals(
        "{\"type\":\"auth\",\"clientType\":\"browser\"}",
        Json.write(ClientFrame.Auth.browser(null)));
    assertEquals(
        "{\"type\":\"publish\",\"channel\":\"a\",\"data\":null}",
        Json.write(
            new ClientFrame.Publish(
                "a", com.fasterxml.jackson.databind.node.NullNode.getInstance(), null)));
  }

  @Test
  void everyFrameTypeRoundTrips() {
    for (Class<?> type : ClientFrame.class.getPermittedSubclasses()) {
      assertEquals(true, type.isRecord(), type + " is a record");
    }
    assertEquals(
        ClientFrame.class.getPermittedSubclasses().length,
        ClientFrame.class
            .getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class)
            .value()
            .length,
        "@JsonSubTypes lists every permitted frame");
    assertEquals(
        ServerFrame.class.getPermittedSubclasses().length,
        ServerFrame.class
            .getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class)
            .value()
            .length,
        "@JsonSubTypes lists every permitted server frame");
  }
}
