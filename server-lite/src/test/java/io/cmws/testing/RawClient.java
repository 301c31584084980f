package io.cmws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.Json;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A raw WebSocket peer for tests: sends exactly the text it is given and queues every frame it
 * receives, so tests can script claude-mem dialogues and assert replies field by field. All waits
 * poll a queue with a timeout; nothing sleeps.
 */
public final class RawClient implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();

  /** Every text frame as it came, for tests of the exact bytes. */
  private final List<String> texts = java.util.Collections.synchronizedList(new ArrayList<>());

  private final BlockingQueue<Close> closes = new LinkedBlockingQueue<>();
  private final Client client;

  /** How the connection ended. */
  public record Close(int code, String reason, boolean remote) {}

  private volatile Exception lastError;
  private volatile boolean keepAlive;

  private RawClient(URI url, Map<String, String> headers) {
    this.client = new Client(url, headers);
  }

  public static RawClient connect(URI url) throws InterruptedException {
    return connect(url, Map.of());
  }

  public static RawClient connect(URI url, Map<String, String> headers)
      throws InterruptedException {
    RawClient raw = new RawClient(url, headers);
    if (!raw.client.connectBlocking(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("could not connect to " + url + ": " + raw.closes.peek());
    }
    return raw;
  }

  /** Connects over {@code wss://}, trusting what {@code tls} trusts. */
  public static RawClient connect(URI url, javax.net.ssl.SSLContext tls)
      throws InterruptedException {
    RawClient raw = new RawClient(url, Map.of());
    raw.client.setSocketFactory(tls.getSocketFactory());
    if (!raw.client.connectBlocking(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "could not connect to " + url + ": " + raw.closes.peek() + " " + raw.lastError);
    }
    return raw;
  }

  /**
   * Connects, expecting the hub to refuse: the close it answered with (the socket may open first).
   */
  public static Close refused(URI url) throws InterruptedException {
    return refused(url, Map.of());
  }

  public static Close refused(URI url, Map<String, String> headers) throws InterruptedException {
    RawClient raw = new RawClient(url, headers);
    raw.client.connectBlocking(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    Close close = raw.awaitClose();
    raw.close();
    return close;
  }

  /** Connects and consumes the {@code connection:pending} greeting, which it returns. */
  public static RawClient greeted(URI url) throws InterruptedException {
    RawClient raw = connect(url);
    raw.expect("connection:pending");
    return raw;
  }

  public RawClient send(String text) {
    client.send(text);
    return this;
  }

  /** Sends unless the connection closed meanwhile (a peer racing the hub's close); false then. */
  public boolean trySend(String text) {
    try {
      client.send(text);
      return true;
    } catch (org.java_websocket.exceptions.WebsocketNotConnectedException closedMeanwhile) {
      return false;
    }
  }

  public RawClient sendBinary(byte[] bytes) {
    client.send(ByteBuffer.wrap(bytes));
    return this;
  }

  /** The next frame of any type, failing after {@link #WAIT}. */
  public JsonNode next() throws InterruptedException {
    JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within " + WAIT + "; closed: " + closes.peek());
    }
    return frame;
  }

  /** The next frame within {@code timeout}, or null. */
  public JsonNode poll(java.time.Duration timeout) throws InterruptedException {
    return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next frame, which must have {@code type}; server pings in between are answered. */
  public JsonNode expect(String type) throws InterruptedException {
    JsonNode frame = next();
    while (frame.path("type").asText().equals("ping") && !type.equals("ping")) {
      send("{\"type\":\"pong\"}");
      frame = next();
    }
    if (!frame.path("type").asText().equals(type)) {
      throw new AssertionError("expected a '" + type + "' frame, got " + frame);
    }
    return frame;
  }

  public Close awaitClose() throws InterruptedException {
    Close close = closes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (close == null) {
      throw new AssertionError("connection not closed within " + WAIT);
    }
    return close;
  }

  /**
   * From now on server pings are answered at once and not queued: for tests with short heartbeats.
   */
  public RawClient keepAlive() {
    keepAlive = true;
    return this;
  }

  /** Frames received but not yet taken. */
  /** The text frames received so far, as they came. */
  public List<String> texts() {
    synchronized (texts) {
      return List.copyOf(texts);
    }
  }

  public int pending() {
    return frames.size();
  }

  public boolean isOpen() {
    return client.isOpen();
  }

  public WebSocketClient socket() {
    return client;
  }

  @Override
  public void close() {
    client.close();
  }

  private final class Client extends WebSocketClient {
    Client(URI url, Map<String, String> headers) {
      super(url, headers);
      setConnectionLostTimeout(0);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {
      texts.add(message);
      JsonNode frame = Json.parseOrString(message);
      if (keepAlive && frame.path("type").asText().equals("ping")) {
        send("{\"type\":\"pong\"}");
        return;
      }
      frames.add(frame);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      closes.add(new Close(code, reason, remote));
    }

    @Override
    public void onError(Exception ex) {
      lastError = ex;
    }
  }
}
