package io.cmws.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.Role;
import org.java_websocket.handshake.ClientHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our reading of an upgrade request against the library's, request by request. */
@Timeout(10)
class HandshakeRequestParserTest {
  private static final String STANDARD =
      "GET /ws?x=1 HTTP/1.1\r\nHost: 127.0.0.1:37777\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n";

  /** What a parser made of the request: fields, or the exception, and where it left the buffer. */
  private interface Parser {
    ClientHandshake parse(ByteBuffer buf) throws Exception;
  }

  private static String outcome(Parser parser, String request) {
    ByteBuffer buf = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
    try {
      ClientHandshake handshake = parser.parse(buf);
      List<String> fields = new ArrayList<>();
      handshake
          .iterateHttpFields()
          .forEachRemaining(f -> fields.add(f + "=" + handshake.getFieldValue(f)));
      return handshake.getResourceDescriptor() + " " + fields + " at " + buf.position();
    } catch (Exception e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static void assertSameAsTheLibrary(String request) {
    String library =
        outcome(buf -> (ClientHandshake) Draft.translateHandshakeHttp(buf, Role.SERVER), request);
    assertEquals(library, outcome(HandshakeRequestParser::parse, request), request);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "GET /ws HTTP/1.1\r\nHost: a",
        "GET /ws HTTP/1.1\r\nHost: a\r\n",
        "GET /ws HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost:    a b \r\nhost: c\r\nX-Empty:\r\nX-Tab:\tt\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: a\nStill: host\r\n\r\n",
        "GET /ws HTTP/1.1\r\nno colon here\r\n\r\n",
        "POST /ws HTTP/1.1\r\n\r\n",
        "get /ws http/1.1\r\n\r\n",
        "GET /ws HTTP/1.0\r\n\r\n",
        "GET  /ws HTTP/1.1\r\n\r\n",
        "GET /ws\r\n\r\n",
        "GET /a b HTTP/1.1\r\n\r\n",
        "\r\n\r\n",
        "GET /ws HTTP/1.1\r\nA: 1\r\n\r\n\u0081\u0085abcd",
        "GET /ws HTTP/1.1\r\nNon-Ascii: caf\u00e9\r\n\r\n",
      })
  void readsEachRequestExactlyAsTheLibraryDoes(String request) {
    assertSameAsTheLibrary(request);
  }

  @Test
  void aStandardRequestAndEveryPrefixOfItToo() {
    for (int n = 0; n <= STANDARD.length(); n++) {
      assertSameAsTheLibrary(STANDARD.substring(0, n));
    }
    assertEquals(
        "/ws?x=1 [Connection=Upgrade, Host=127.0.0.1:37777, Sec-WebSocket-Key=dGhlIHNhbXBsZSBub25jZQ==,"
            + " Sec-WebSocket-Version=13, Upgrade=websocket] at "
            + STANDARD.length(),
        outcome(HandshakeRequestParser::parse, STANDARD));
  }
}
