package io.cmws.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.support.CliException;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ServerHandshake;

/**
 * {@link HubClient} on Java-WebSocket. Its callbacks run on the library's read thread: they only
 * queue frames and answer pings, never block.
 */
final class WsHubClient implements HubClient {
  private final URI url;
  private final BlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
  private final Socket socket;
  private volatile JsonNode greeting;
  private volatile Exception lastError;

  private WsHubClient(URI url) {
    this.url = url;
    this.socket = new Socket(url);
  }

  static WsHubClient connect(URI url, Duration timeout) {
    String scheme = url.getScheme();
    if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
      throw CliException.usage("hub URL must start with ws:// or wss://, got '" + url + "'");
    }
    WsHubClient client = new WsHubClient(url);
    boolean connected;
    try {
      connected = client.socket.connectBlocking(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.connection("interrupted while connecting to " + url);
    }
    if (!connected) {
      client.socket.close();
      Exception error = client.lastError;
      String why =
          error == null
              ? "no answer within " + timeout.toMillis() + " ms"
              : error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
      throw CliException.connection(ConnectionStatus.cannotConnect(url, why));
    }
    return client;
  }

  @Override
  public URI url() {
    return url;
  }

  @Override
  public void send(ClientFrame frame) {
    try {
      socket.send(Json.write(frame));
    } catch (WebsocketNotConnectedException e) {
      // the close is already queued in the inbox; the caller sees it on its next poll
    }
  }

  @Override
  public void sendRaw(String text) {
    try {
      socket.send(text);
    } catch (WebsocketNotConnectedException e) {
      // the close is already queued in the inbox
    }
  }

  @Override
  public Optional<Inbound> poll(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
  }

  @Override
  public Optional<JsonNode> greeting() {
    return Optional.ofNullable(greeting);
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public void close() {
    socket.close();
  }

  private final class Socket extends WebSocketClient {
    Socket(URI url) {
      super(url, Map.of());
      setConnectionLostTimeout(0); // liveness is the hub's JSON ping, answered below
      setTcpNoDelay(true);
      setDaemon(true);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {
      JsonNode node = Json.parseOrString(message);
      String type = node.path("type").asText("");
      if (type.equals("ping")) {
        send(Json.write(new ClientFrame.Pong()));
        return;
      }
      if (type.equals("connection:pending")) {
        greeting = node;
      }
      inbox.add(new Inbound.Frame(type, node));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      inbox.add(new Inbound.Closed(code, reason, remote));
    }

    @Override
    public void onError(Exception ex) {
      lastError = ex;
    }
  }
}
