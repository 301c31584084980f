package io.cmws.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A scripted WebSocket server that stands in for a claude-mem backend or standalone hub: the test
 * drives each accepted connection frame by frame. Binds 127.0.0.1, port 0.
 */
public final class ScriptedPeer implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final BlockingQueue<Peer> accepted = new LinkedBlockingQueue<>();
  private final Server server;
  private volatile boolean acknowledgesHealth;

  private ScriptedPeer(Consumer<Peer> onOpen) throws Exception {
    server = new Server(onOpen);
    server.start();
    server.started.get(10, TimeUnit.SECONDS);
  }

  /** {@code onOpen} runs for each new connection, e.g. to send a greeting. */
  public static ScriptedPeer start(Consumer<Peer> onOpen) throws Exception {
    return new ScriptedPeer(onOpen);
  }

  /** Greets like the claude-mem backend: {@code connection:pending} first, without cmws fields. */
  public static ScriptedPeer claudeMemBackend() throws Exception {
    return start(
        peer ->
            peer.send(
                "{\"type\":\"connection:pending\",\"clientId\":\"pending-1-1795655655658\","
                    + "\"requiresAuth\":false}"));
  }

  /**
   * Answers every {@code hub:health} with {@code hub:heartbeat:ack} at once, as claude-mem's
   * backend does (reference §6.2); the frame is still queued for the test.
   */
  public ScriptedPeer acknowledgingHealth() {
    acknowledgesHealth = true;
    return this;
  }

  public URI url() {
    return URI.create("ws://127.0.0.1:" + server.getPort() + "/ws");
  }

  /** The next accepted connection. */
  public Peer accept() throws InterruptedException {
    return accept(WAIT);
  }

  /** The next accepted connection, within {@code within}. */
  public Peer accept(Duration within) throws InterruptedException {
    Peer peer = accepted.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    if (peer == null) {
      throw new AssertionError("no connection within " + within);
    }
    return peer;
  }

  @Override
  public void close() {
    try {
      server.stop(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One accepted connection. */
  public static final class Peer {
    private final WebSocket socket;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    Peer(WebSocket socket) {
      this.socket = socket;
    }

    public Peer send(String frame) {
      socket.send(frame);
      return this;
    }

    /** The next frame the client sent, which must have {@code type}. */
    public JsonNode expect(String type) throws InterruptedException {
      return expect(type, WAIT);
    }

    /** The next frame, within {@code within}, which must have {@code type}. */
    public JsonNode expect(String type, Duration within) throws InterruptedException {
      JsonNode frame = received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("client sent no '" + type + "' within " + within);
      }
      if (!frame.path("type").asText().equals(type)) {
        throw new AssertionError("expected '" + type + "' from the client, got " + frame);
      }
      return frame;
    }

    public void close(int code, String reason) {
      socket.close(code, reason);
    }

    /** Drops the TCP connection without a close frame. */
    public void drop() {
      socket.closeConnection(1006, "dropped");
    }

    /** The next frame of {@code type}, skipping others (heartbeats, for instance). */
    public JsonNode skipTo(String type) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        JsonNode frame =
            received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (frame == null) {
          throw new AssertionError("client sent no '" + type + "' within " + WAIT);
        }
        if (frame.path("type").asText().equals(type)) {
          return frame;
        }
      }
    }

    /** The types of every frame the client sends from now until it closes (heartbeats left out). */
    public List<String> typesUntilClosed() throws Exception {
      List<String> types = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!(closed.isDone() && received.isEmpty())) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("client did not close within " + WAIT + "; sent " + types);
        }
        JsonNode frame = received.poll(50, TimeUnit.MILLISECONDS);
        if (frame != null && !frame.path("type").asText().equals("heartbeat")) {
          types.add(frame.path("type").asText());
        }
      }
      return types;
    }

    public int awaitClosed() throws Exception {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private final class Server extends WebSocketServer {
    final CompletableFuture<Void> started = new CompletableFuture<>();
    private final Consumer<Peer> onOpen;

    Server(Consumer<Peer> onOpen) {
      super(new InetSocketAddress("127.0.0.1", 0));
      this.onOpen = onOpen;
      setReuseAddr(true);
      setDaemon(true);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      Peer peer = new Peer(conn);
      conn.setAttachment(peer);
      onOpen.accept(peer);
      accepted.add(peer);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      Peer peer = conn.getAttachment();
      JsonNode frame = Json.parseOrString(message);
      if (acknowledgesHealth && frame.path("type").asText().equals("hub:health")) {
        conn.send("{\"type\":\"hub:heartbeat:ack\"}");
      }
      peer.received.add(frame);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      Peer peer = conn.getAttachment();
      if (peer != null) {
        peer.closed.complete(code);
      }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
      if (conn == null) {
        started.completeExceptionally(ex);
      }
    }

    @Override
    public void onStart() {
      started.complete(null);
    }
  }
}
