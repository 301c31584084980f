package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.ProtocolException;
import io.cmws.protocol.ServerFrame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@code auth} and {@code register}: client-type detection (reference-protocol §3.2) and the
 * replies of §2. Unlike the reference, a second {@code auth} or {@code register} on one connection
 * is refused (its B7), and one SSE-writer holds a session (its B22): a newer writer for the same
 * session replaces the older one, which is closed with 1000, the code claude-mem's writer does not
 * retry after (§7.4), so a restarted hook writes at once.
 */
final class AuthHandler {
  static final String UNAUTHORIZED = "Unauthorized";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuthHandler.class);

  /** Session id → the SSE-writer that claimed it. */
  private final Map<String, Connection> sessionClaims = new ConcurrentHashMap<>();

  private final AccessPolicy policy;
  private final ConnectionRegistry registry;
  private final ChannelRouter router;
  private final HubMetrics metrics;
  private final LongSupplier nanoTime;

  AuthHandler(
      AccessPolicy policy,
      ConnectionRegistry registry,
      ChannelRouter router,
      HubMetrics metrics,
      LongSupplier nanoTime) {
    this.policy = policy;
    this.registry = registry;
    this.router = router;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /**
   * Reference rules: {@code clientType:"sse-writer"}; else a token or capabilities mean a worker;
   * else a browser. cmws extension: an explicit {@code clientType} of {@code browser}, {@code hub}
   * or {@code worker} is honoured, so a browser-type tool may present a token.
   */
  static ClientType detect(ClientFrame.Auth auth) {
    String declared = auth.clientType();
    if ("sse-writer".equals(declared)) {
      return ClientType.SSE_WRITER;
    }
    if ("hub".equals(declared)) {
      return ClientType.HUB;
    }
    if ("browser".equals(declared)) {
      return ClientType.BROWSER;
    }
    if ("worker".equals(declared)) {
      return ClientType.WORKER;
    }
    boolean hasToken = auth.token() != null && !auth.token().isEmpty();
    return hasToken || auth.capabilities() != null ? ClientType.WORKER : ClientType.BROWSER;
  }

  void auth(Connection connection, ClientFrame.Auth auth) {
    if (connection.isAuthenticated()) {
      throw new ProtocolException(
          ErrorCode.ALREADY_AUTHENTICATED,
          "Already authenticated as "
              + connection.id()
              + "; open a new connection to change identity");
    }
    ClientType type = detect(auth);
    RemotePeer peer = connection.peer();
    AccessPolicy.Decision decision =
        policy.authenticate(type, auth.token(), peer.loopback(), peer.browserPage());
    if (decision instanceof AccessPolicy.Decision.Denied denied) {
      refuse(connection, new ServerFrame.AuthFailed(denied.reason()), denied.close());
      return;
    }
    AccessPolicy.Decision.Granted granted = (AccessPolicy.Decision.Granted) decision;
    if (type == ClientType.SSE_WRITER && auth.sessionId() != null) {
      if (!peer.loopback() && granted.tokenName() == null) {
        refuse(
            connection,
            new ServerFrame.AuthFailed(
                "an SSE-writer from a remote address needs a token to claim"
                    + " session "
                    + auth.sessionId()),
            true);
        return;
      }
      claim(auth.sessionId(), connection);
    }
    String id =
        type == ClientType.WORKER
            ? connection.id() // named at register
            : type == ClientType.BROWSER
                    && !peer.browserPage()
                    && ClientFrame.Auth.CLI_AGENT.equals(auth.agent())
                ? registry.nextId("cli")
                : registry.nextId(type);
    connection.authenticate(type, id, granted.permissions(), granted.tokenName());
    connection.cancelAuthTimer();
    connection.seen(nanoTime.getAsLong());
    if (type == ClientType.WORKER) {
      connection.send(ServerFrame.AuthSuccess.forWorker());
      return;
    }
    connection.send(new ServerFrame.AuthSuccess(id, Permission.wireNames(granted.permissions())));
    if (type == ClientType.SSE_WRITER) {
      connection.writerIdentity(
          new SseWriterIdentity(auth.sessionId(), auth.project(), auth.workingDirectory()));
      connection.send(
          new ServerFrame.Subscribed(
              router.subscribe(connection, SseWriterIdentity.AUTO_SUBSCRIPTIONS)));
    }
  }

  /**
   * {@code writer} holds {@code sessionId} from now on; a previous holder is closed as replaced.
   */
  private void claim(String sessionId, Connection writer) {
    Connection previous = sessionClaims.put(sessionId, writer);
    if (previous != null && previous != writer) {
      LOG.info(
          "SSE-writer {} replaces {} for session {}", writer.peer().address(), previous, sessionId);
      previous.close(CloseCodes.NORMAL, "Replaced by a newer SSE-writer for session " + sessionId);
    }
  }

  /** The connection is gone: its session claim, if any, is free again. */
  void released(Connection connection) {
    SseWriterIdentity identity = connection.writerIdentity();
    if (identity != null && identity.sessionId() != null) {
      sessionClaims.remove(identity.sessionId(), connection);
    }
  }

  /** Returns true when the connection became a registered worker. */
  boolean register(Connection connection, ClientFrame.Register register) {
    if (connection.isRegistered()) {
      throw new ProtocolException(
          ErrorCode.ALREADY_AUTHENTICATED, "Already registered as worker " + connection.id());
    }
    for (String capability : register.capabilities()) {
      if (capability.isBlank()) {
        throw new ProtocolException(ErrorCode.BAD_FRAME, "capabilities must be non-empty strings");
      }
    }
    if (!connection.isAuthenticated()) {
      AccessPolicy.Decision decision =
          policy.registerWithoutAuth(connection.peer().loopback(), connection.peer().browserPage());
      if (decision instanceof AccessPolicy.Decision.Denied denied) {
        refuse(
            connection,
            new ServerFrame.Error(
                denied.reason(), ErrorCode.UNAUTHENTICATED.wireName(), "register", null, null),
            denied.close());
        return false;
      }
      AccessPolicy.Decision.Granted granted = (AccessPolicy.Decision.Granted) decision;
      connection.authenticate(ClientType.WORKER, connection.id(), granted.permissions(), null);
      connection.cancelAuthTimer();
    } else if (connection.type() != ClientType.WORKER) {
      throw new ProtocolException(
          ErrorCode.NOT_A_WORKER,
          "register is for workers; this connection authenticated as " + connection.type().label());
    }
    List<String> capabilities = register.capabilities();
    connection.register(workerId(register.metadata()), capabilities);
    connection.seen(nanoTime.getAsLong());
    connection.send(new ServerFrame.Registered(connection.id(), capabilities));
    return true;
  }

  /**
   * {@code worker-<n>-...}, or {@code NAME-<n>-...} with the name a cmws worker gives in its
   * metadata (its --name, default the host name); claude-mem's workers accept any id.
   */
  private String workerId(JsonNode metadata) {
    String name = metadata == null ? null : metadata.path("name").asText(null);
    return registry.nextId(ClientFrame.Register.isWorkerName(name) ? name : "worker");
  }

  private void refuse(Connection connection, ServerFrame reply, boolean close) {
    metrics.error("auth_failed");
    connection.send(reply);
    if (close) {
      connection.close(CloseCodes.UNAUTHORIZED, UNAUTHORIZED);
    }
  }
}
