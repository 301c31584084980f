package io.cmws.transport;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ServerHandshake;

/**
 * An outbound WebSocket connection, for a hub that joins a parent: text frames in and out, and how
 * it ended. {@code wss://} uses the JVM's trust store.
 */
public final class WsClientLink implements AutoCloseable {

  /** Called on the link's own reading thread, in order; must not block for long. */
  public interface Listener {
    void text(String json);

    void closed(int code, String reason, boolean remote);
  }

  private final Client client;

  private WsClientLink(Client client) {
    this.client = client;
  }

  /** Connects, waiting at most {@code timeout}; throws if the handshake does not succeed. */
  public static WsClientLink connect(URI url, Listener listener, Duration timeout)
      throws IOException {
    Client client = new Client(url, listener);
    try {
      if (!client.connectBlocking(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        client.close();
        throw new IOException(
            "cannot connect to " + url + (client.failure == null ? "" : ": " + client.failure));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      throw new IOException("interrupted while connecting to " + url, e);
    }
    return new WsClientLink(client);
  }

  /** Queues a text frame; false if the link is closed. Never blocks. */
  public boolean send(String json) {
    try {
      client.send(json);
      return true;
    } catch (WebsocketNotConnectedException e) {
      return false;
    }
  }

  public boolean isOpen() {
    return client.isOpen();
  }

  public void close(int code, String reason) {
    client.close(code, reason);
  }

  @Override
  public void close() {
    client.close();
  }

  private static final class Client extends WebSocketClient {
    private final Listener listener;
    private volatile String failure;

    Client(URI url, Listener listener) {
      super(url, Map.of());
      this.listener = listener;
      setConnectionLostTimeout(0); // the hubs' own health reports and pings decide liveness
      setTcpNoDelay(true);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {
      listener.text(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      listener.closed(code, reason, remote);
    }

    @Override
    public void onError(Exception ex) {
      failure = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    }
  }
}
