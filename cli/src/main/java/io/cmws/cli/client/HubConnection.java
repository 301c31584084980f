package io.cmws.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.support.CliException;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.CloseCodes;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The handshakes every tool needs: connect, authenticate as a browser-type client (no {@code token}
 * field without a token, so claude-mem treats it as a browser), and wait for specific replies. Not
 * thread-safe: one command thread drives it.
 */
public final class HubConnection implements AutoCloseable {
  private final HubClient client;
  private final boolean owner;
  private volatile Consumer<Inbound.Frame> unsolicited;
  private String clientId;
  private List<String> permissions = List.of();

  private HubConnection(HubClient client, boolean owner) {
    this.client = client;
    this.owner = owner;
  }

  private HubConnection(HubClient client) {
    this(client, true);
  }

  /**
   * A view of this connection for a command to use and "close": closing it leaves the connection
   * open. The REPL lends its connection to CLI commands this way.
   */
  public HubConnection borrow() {
    HubConnection view = new HubConnection(client, false);
    view.clientId = clientId;
    view.permissions = permissions;
    view.unsolicited = unsolicited;
    return view;
  }

  /** Where {@link #await} hands the frames it is not waiting for, instead of dropping them. */
  public void onUnsolicited(Consumer<Inbound.Frame> listener) {
    this.unsolicited = listener;
  }

  public boolean isOpen() {
    return client.isOpen();
  }

  /** Connects without authenticating (workers register instead). */
  public static HubConnection connect(URI url, Duration timeout) {
    return new HubConnection(HubClient.connect(url, timeout));
  }

  /** Connects and authenticates; refusals are exit 5, network trouble exit 3. */
  public static HubConnection open(URI url, String token, Duration timeout) {
    HubConnection connection = new HubConnection(HubClient.connect(url, timeout));
    try {
      connection.authenticate(token, timeout);
      return connection;
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  private void authenticate(String token, Duration timeout) {
    client.send(ClientFrame.Auth.cli(token == null || token.isEmpty() ? null : token));
    JsonNode reply = await(timeout, "authentication", "auth:success", "auth:failed");
    if (reply.path("type").asText().equals("auth:failed")) {
      throw CliException.rejected(
          "authentication failed: " + reply.path("reason").asText("refused"));
    }
    clientId = reply.path("clientId").asText(null);
    if (reply.has("permissions")) {
      permissions = new ArrayList<>();
      reply.get("permissions").forEach(p -> permissions.add(p.asText()));
    }
  }

  public HubClient client() {
    return client;
  }

  public URI url() {
    return client.url();
  }

  public String clientId() {
    return clientId;
  }

  public List<String> permissions() {
    return permissions;
  }

  public boolean isCmwsHub() {
    return client.isCmwsHub();
  }

  /**
   * Waits for the first frame whose type is one of {@code types}; an {@code error} frame or a close
   * ends the wait with the matching failure. Other frames in between are dropped.
   */
  public JsonNode await(Duration timeout, String what, String... types) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Duration left = Duration.between(Instant.now(), deadline);
      Optional<Inbound> next = poll(left.isNegative() ? Duration.ZERO : left);
      if (next.isEmpty()) {
        throw CliException.timeout(
            "no reply to " + what + " from " + url() + " within " + timeout.toMillis() + " ms");
      }
      Inbound inbound = next.get();
      if (inbound instanceof Inbound.Closed closed) {
        throw closedDuring(what, closed);
      }
      Inbound.Frame frame = (Inbound.Frame) inbound;
      for (String type : types) {
        if (frame.type().equals(type)) {
          return frame.node();
        }
      }
      if (frame.type().equals("error")) {
        throw CliException.rejected(
            what + " refused by the hub: " + frame.node().path("message").asText());
      }
      Consumer<Inbound.Frame> listener = unsolicited;
      if (listener != null) {
        listener.accept(frame);
      }
    }
  }

  public Optional<Inbound> poll(Duration timeout) {
    try {
      return client.poll(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.connection("interrupted");
    }
  }

  /**
   * The failure a close during {@code what} means: 4001 (and the standalone hub's 4003 "Invalid
   * token" and 4004 "Authentication required") is a refusal, anything else a lost connection.
   */
  public CliException closedDuring(String what, Inbound.Closed closed) {
    if (closed.code() == CloseCodes.UNAUTHORIZED
        || closed.code() == 4003
        || closed.code() == 4004) {
      return CliException.rejected(what + " refused: connection " + closed.describe());
    }
    return CliException.connection(
        "connection to " + url() + " " + closed.describe() + " during " + what);
  }

  public void send(ClientFrame frame) {
    client.send(frame);
  }

  @Override
  public void close() {
    if (owner) {
      client.close();
    }
  }
}
