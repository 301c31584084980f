package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.testing.RawHttp;
import io.cmws.testing.TestHub;
import io.cmws.transport.HandshakeLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections that never finish their WebSocket handshake are counted, limited and closed. */
@Timeout(30)
class UnfinishedHandshakeIT {

  /** A socket that sent the first half of an upgrade request and nothing more. */
  static Socket halfSent(URI url) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
    socket
        .getOutputStream()
        .write(
            ("GET " + url.getPath() + " HTTP/1.1\r\nHost: x\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /**
   * Whether the hub has ended the connection within {@code millis}: a read sees the end or a reset.
   */
  static boolean endedWithin(Socket socket, int millis) throws IOException {
    socket.setSoTimeout(millis);
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // whatever the hub said before closing
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static long metric(TestHub hub, String line) throws Exception {
    return hub.get("/metrics")
        .lines()
        .filter(l -> l.startsWith(line + " "))
        .mapToLong(l -> Long.parseLong(l.substring(line.length() + 1)))
        .findFirst()
        .orElse(0);
  }

  @Test
  void aHalfSentHandshakeIsClosedAfterTheTimeoutAndShowsAsAGaugeMeanwhile() throws Exception {
    try (TestHub hub =
            TestHub.start(c -> c.withHandshakes(new HandshakeLimits(Duration.ofMillis(1500), 64)));
        Socket stuck = halfSent(hub.url())) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metric(hub, "cmws_handshakes_pending") == 1);
      assertTrue(endedWithin(stuck, 5_000), "closed by the hub");
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metric(hub, "cmws_handshakes_pending") == 0);
      assertEquals(1, metric(hub, "cmws_limit_rejections_total{limit=\"handshake_timeout\"}"));
      assertEquals(101, RawHttp.upgrade(hub.url(), Map.of()).status(), "others still get in");
    }
  }

  @Test
  void oneAddressMayHoldOnlySoManyUnfinishedHandshakes() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try (TestHub hub =
        TestHub.start(
            c ->
                c.withHandshakes(new HandshakeLimits(Duration.ofSeconds(20), 5))
                    .withHub(c.hub().withLimits(c.hub().limits().withLimitLoopback(true))))) {
      for (int i = 0; i < 5; i++) {
        sockets.add(halfSent(hub.url()));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metric(hub, "cmws_handshakes_pending") == 5);
      Socket sixth = halfSent(hub.url());
      sockets.add(sixth);
      assertTrue(endedWithin(sixth, 5_000), "the sixth is closed at once");
      for (Socket socket : sockets.subList(0, 5)) {
        assertTrue(!endedWithin(socket, 50), "the first five wait for their timeout");
      }
      assertEquals(1, metric(hub, "cmws_limit_rejections_total{limit=\"handshakes_per_address\"}"));
      sockets.get(0).close();
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metric(hub, "cmws_handshakes_pending") == 4);
      assertEquals(101, RawHttp.upgrade(hub.url(), Map.of()).status(), "a place came free");
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void aRefusedHandshakeEndsTheConnectionRightAfterThe403() throws Exception {
    try (TestHub hub = TestHub.start();
        Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hub.url().getHost(), hub.url().getPort()), 10_000);
      socket
          .getOutputStream()
          .write(
              ("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                      + "Origin: https://evil.example\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(5_000);
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response);
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metric(hub, "cmws_handshakes_pending") == 0);
    }
  }
}
