package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that vanish without a close frame or a FIN (half-open TCP): here, sockets that stop reading
 * and writing but stay open. The hub closes them on its heartbeat timeout; a vanished worker's task
 * goes to another worker, and nothing acknowledged is lost.
 */
@Timeout(30)
class HalfOpenIT {

  private static TestHub hub() throws IOException {
    return TestHub.start(
        c -> c.withHub(c.hub().withHeartbeat(Duration.ofMillis(200), Duration.ofMillis(700))));
  }

  /**
   * A hand-made WebSocket client that can fall silent: handshake, then masked text frames on
   * demand.
   */
  private static final class SilentPeer implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    SilentPeer(URI url) throws IOException {
      socket = new Socket(url.getHost(), url.getPort());
      out = socket.getOutputStream();
      in = socket.getInputStream();
      String key = Base64.getEncoder().encodeToString(new byte[16]);
      out.write(
          ("GET "
                  + url.getPath()
                  + " HTTP/1.1\r\nHost: "
                  + url.getHost()
                  + ":"
                  + url.getPort()
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                  + key
                  + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed during the handshake: " + head);
        }
        head.append((char) b);
      }
      if (!head.toString().startsWith("HTTP/1.1 101")) {
        throw new IOException("handshake refused: " + head);
      }
    }

    void send(String text) throws IOException {
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      out.write(0x81);
      if (payload.length < 126) {
        out.write(0x80 | payload.length);
      } else {
        out.write(0x80 | 126);
        out.write(payload.length >> 8);
        out.write(payload.length & 0xff);
      }
      out.write(mask);
      for (int i = 0; i < payload.length; i++) {
        out.write(payload[i] ^ mask[i % 4]);
      }
      out.flush();
    }

    /**
     * Reads server frames until a text frame containing {@code text}; the peer falls silent after
     * that.
     */
    void awaitText(String text) throws IOException {
      while (true) {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
          throw new IOException("closed before '" + text + "'");
        }
        long length = second & 0x7f;
        if (length == 126) {
          length = (in.read() << 8) | in.read();
        } else if (length == 127) {
          length = 0;
          for (int i = 0; i < 8; i++) {
            length = (length << 8) | in.read();
          }
        }
        String payload = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
        if ((first & 0x0f) == 1 && payload.contains(text)) {
          return;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aSilentClientIsClosedOnTheHeartbeatTimeoutAndOthersCarryOn() throws Exception {
    try (TestHub hub = hub();
        RawClient healthy = hub.subscriber("calm:*").keepAlive();
        SilentPeer silent = new SilentPeer(hub.url())) {
      silent.send("{\"type\":\"auth\"}");
      silent.send("{\"type\":\"subscribe\",\"channels\":[\"calm:*\"]}");
      silent.awaitText("\"subscribed\""); // from here on it neither reads nor answers
      assertEquals(2, hub.server().hub().connections().size());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (hub.server().hub().connections().size() > 1 && System.nanoTime() < deadline) {
        healthy.poll(
            Duration.ofMillis(100)); // waiting on the healthy client's queue, which answers pings
      }
      assertEquals(1, hub.server().hub().connections().size(), "the silent peer was dropped");
      assertTrue(hub.get("/metrics").contains("heartbeat_timeout"), "and counted");
      try (RawClient publisher = hub.subscriber()) {
        publisher
            .send("{\"type\":\"publish\",\"channel\":\"calm:x\",\"data\":1}")
            .expect("published");
      }
      JsonNode event = healthy.expect("event");
      assertEquals("calm:x", event.get("channel").asText());
    }
  }

  @Test
  void aWorkerThatVanishesMidTaskLosesItToAnotherAndTheTaskCompletesOnce() throws Exception {
    try (TestHub hub = hub();
        RawClient submitter = hub.subscriber().keepAlive();
        SilentPeer vanishing = new SilentPeer(hub.url())) {
      vanishing.send("{\"type\":\"register\",\"capabilities\":[\"job\"]}");
      vanishing.awaitText("\"registered\"");
      String id =
          submitter
              .send("{\"type\":\"task:submit\",\"taskType\":\"job\",\"watch\":true}")
              .expect("task:submitted")
              .get("taskId")
              .asText();
      vanishing.awaitText("\"task:assign\""); // it has the task, and now it falls silent
      // the silent worker holds it (it registered first and is the only one); then a live one joins
      try (RawClient worker = RawClient.connect(hub.url()).keepAlive()) {
        String workerId = worker.expect("connection:pending").get("clientId").asText();
        worker.send("{\"type\":\"register\",\"capabilities\":[\"job\"]}").expect("registered");
        JsonNode assign = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (assign == null && System.nanoTime() < deadline) {
          worker.send(
              "{\"type\":\"heartbeat\",\"workerId\":\"" + workerId + "\",\"currentTasks\":[]}");
          JsonNode frame = worker.poll(Duration.ofMillis(150));
          if (frame != null && frame.path("type").asText().equals("task:assign")) {
            assign = frame;
          }
        }
        assertTrue(
            assign != null, "the task moved to the live worker after the silent one timed out");
        assertEquals(id, assign.get("task").get("id").asText());
        assertEquals(
            2, assign.get("task").get("attempt").asInt(), "the vanished worker's attempt counted");
        worker.send("{\"type\":\"task:complete\",\"taskId\":\"" + id + "\",\"result\":\"done\"}");
        JsonNode result = submitter.expect("task:result");
        assertEquals("completed", result.get("state").asText());
        assertEquals(0, submitter.pending(), "one result, not two");
      }
    }
  }
}
