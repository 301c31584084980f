package io.cmws.transport;

import io.cmws.hub.Connection;
import io.cmws.hub.Hub;
import io.cmws.hub.RemotePeer;
import io.cmws.protocol.CloseCodes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Java-WebSocket adapter: routes the upgrade path, and hands frames and closes to the
 * {@link Hub}. Callbacks run on Java-WebSocket's worker threads (one per connection at a time) and
 * must not block.
 */
final class WsTransport extends WebSocketServer {
  private static final Logger LOG = LoggerFactory.getLogger(WsTransport.class);

  private final Hub hub;
  private final String path;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final WriteDemandSweeper sweeper = new WriteDemandSweeper();

  private final OutboxLimits outboxLimits;
  private final HandshakeTracker handshakes;

  /**
   * Java's default listen backlog (50) drops SYNs under a burst of connects: a 1 s retransmit each.
   */
  private static final int ACCEPT_BACKLOG = 4096;

  WsTransport(WsEndpoint.Settings settings, Hub hub, HandshakeTracker handshakes) {
    super(
        settings.address(),
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        drafts(settings.maxFrameBytes()));
    this.hub = hub;
    this.path = settings.path();
    this.outboxLimits = settings.outbox();
    this.handshakes = handshakes;
    setWebSocketFactory(new PumpingServerFactory(settings.tls(), handshakes));
    setReuseAddr(true);
    setTcpNoDelay(true);
    setConnectionLostTimeout(0); // the hub's own heartbeat decides liveness
    setMaxPendingConnections(ACCEPT_BACKLOG);
    setDaemon(true);
  }

  private static List<Draft> drafts(int maxFrameBytes) {
    return List.of(new HubDraft(maxFrameBytes));
  }

  CompletableFuture<Void> started() {
    return started;
  }

  WriteDemandSweeper sweeper() {
    return sweeper;
  }

  HandshakeTracker handshakes() {
    return handshakes;
  }

  @Override
  public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
      WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
    String requested = pathOf(request.getResourceDescriptor());
    if (!path.equals(requested) && !federationPath().equals(requested)) {
      // The reference leaves unknown paths hanging (its B20); answer 404 instead.
      throw new InvalidDataException(
          CloseFrame.POLICY_VALIDATION, "no WebSocket endpoint at " + requested);
    }
    String host = request.hasFieldValue("Host") ? request.getFieldValue("Host") : null;
    if (!hub.allowsHost(host)) {
      throw forbidden(
          conn,
          "host " + host + " is not served here; start the hub with --allowed-host to allow it");
    }
    String origin = request.hasFieldValue("Origin") ? request.getFieldValue("Origin") : null;
    if (!hub.allowsOrigin(origin)) {
      throw forbidden(
          conn,
          "origin "
              + origin
              + " is not allowed; start the hub with --allowed-origin "
              + origin
              + " to let its pages connect");
    }
    return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
  }

  /** Refuses the handshake with HTTP 403 and {@code why}, instead of the library's 404. */
  private static InvalidDataException forbidden(WebSocket conn, String why) {
    LOG.debug("refused a handshake from {}: {}", conn.getRemoteSocketAddress(), why);
    if (((WebSocketImpl) conn).getChannel() instanceof PumpingChannel channel) {
      channel.refuseHandshake("403 Forbidden", why);
    }
    return new InvalidDataException(CloseFrame.POLICY_VALIDATION, why);
  }

  /** claude-mem's endpoint for federated hubs: the WebSocket path plus {@code /hub}. */
  private String federationPath() {
    return path + "/hub";
  }

  /** The path of a request target, without query or fragment (the reference ignores queries). */
  static String pathOf(String resource) {
    int end = resource.length();
    int query = resource.indexOf('?');
    int fragment = resource.indexOf('#');
    if (query >= 0) {
      end = query;
    }
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    return resource.substring(0, end);
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    boolean proxied =
        handshake.hasFieldValue("X-Forwarded-For") || handshake.hasFieldValue("Forwarded");
    String origin = handshake.hasFieldValue("Origin") ? handshake.getFieldValue("Origin") : null;
    RemotePeer peer = RemotePeer.of(conn.getRemoteSocketAddress(), proxied, origin);
    PumpingChannel channel =
        ((WebSocketImpl) conn).getChannel() instanceof PumpingChannel pumping ? pumping : null;
    WsFrameSink sink =
        new WsFrameSink(
            new LibrarySocket(conn, this), channel, sweeper, outboxLimits, hub.metrics());
    if (channel != null) {
      channel.attach(sink.outbox());
      channel.opened();
    }
    boolean federation = federationPath().equals(pathOf(handshake.getResourceDescriptor()));
    conn.setAttachment(federation ? hub.openFederation(sink, peer) : hub.open(sink, peer));
  }

  private static Connection connection(WebSocket conn) {
    return conn.getAttachment();
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    Connection connection = connection(conn);
    if (connection != null) {
      hub.receive(connection, message);
    }
  }

  /** Binary frames are UTF-8 JSON, as the reference accepts them. */
  @Override
  public void onMessage(WebSocket conn, ByteBuffer message) {
    Connection connection = connection(conn);
    if (connection == null) {
      return;
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(message)
              .toString();
    } catch (CharacterCodingException e) {
      text = "\u0000"; // not UTF-8: let the hub answer
    }
    hub.receive(connection, text);
  }

  @Override
  public void onWebsocketPong(WebSocket conn, Framedata frame) {
    Connection connection = connection(conn);
    if (connection != null) {
      hub.pong(connection);
    }
  }

  /** The library closes a connection itself for an oversized frame: counted here, as it decides. */
  @Override
  public void onCloseInitiated(WebSocket conn, int code, String reason) {
    if (code == CloseCodes.TOO_BIG) {
      hub.metrics().error("frame_too_big");
    }
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    Connection connection = connection(conn);
    if (connection != null) {
      hub.closed(connection, code, reason);
    }
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    if (conn == null) {
      if (!started.completeExceptionally(ex)) {
        LOG.error("WebSocket server failed", ex);
      }
    } else {
      LOG.debug("Connection error on {}", conn.getRemoteSocketAddress(), ex);
    }
  }

  @Override
  public void onStart() {
    started.complete(null);
  }
}
