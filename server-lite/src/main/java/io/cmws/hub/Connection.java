package io.cmws.hub;

import io.cmws.protocol.EventMessage;
import io.cmws.protocol.Json;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.TaskPeer;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * The hub's view of one client connection (never a "session": that word means a Claude coding
 * session here). Frames from one connection are handled in order on one transport thread; timers
 * and other connections' publishes touch it from other threads, hence the volatile state.
 */
public final class Connection implements TaskPeer {
  private final long number;
  private final RemotePeer peer;
  private final FrameSink sink;
  private final long openedAtMillis;
  private final Set<String> patterns = ConcurrentHashMap.newKeySet();
  private volatile String id;
  private volatile ClientType type = ClientType.PENDING;
  private volatile Set<Permission> permissions = Collections.emptySet();
  private volatile String tokenName;
  private volatile SseWriterIdentity writerIdentity;
  private volatile List<String> capabilities = List.of();
  private volatile boolean registered;
  private volatile long lastSeenNanos;
  private volatile long pingSentNanos;
  private volatile double latencyMillis = Double.NaN;
  private volatile ScheduledFuture<?> authTimer;
  private volatile boolean closed;
  private volatile RecoveryBuffer recovery;

  private volatile RateLimiter limiter;
  private volatile Endpoint endpoint = Endpoint.UNIFIED;

  /** The federated hub this connection is the link of, once it registered; else null. */
  private volatile PoolPeer pool;

  Connection(
      long number, String id, RemotePeer peer, FrameSink sink, long openedAtMillis, long nowNanos) {
    this.number = number;
    this.id = id;
    this.peer = peer;
    this.sink = sink;
    this.openedAtMillis = openedAtMillis;
    this.lastSeenNanos = nowNanos;
  }

  @Override
  public String id() {
    return id;
  }

  public long number() {
    return number;
  }

  public ClientType type() {
    return type;
  }

  /** Null when no rate limit applies (a trusted loopback client). */
  RateLimiter limiter() {
    return limiter;
  }

  void limiter(RateLimiter newLimiter) {
    this.limiter = newLimiter;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  void endpoint(Endpoint value) {
    this.endpoint = value;
  }

  PoolPeer pool() {
    return pool;
  }

  void pool(PoolPeer value) {
    this.pool = value;
  }

  public RemotePeer peer() {
    return peer;
  }

  public Set<Permission> permissions() {
    return permissions;
  }

  public boolean has(Permission permission) {
    return permissions.contains(permission);
  }

  public String tokenName() {
    return tokenName;
  }

  public long openedAtMillis() {
    return openedAtMillis;
  }

  public Set<String> patterns() {
    return Collections.unmodifiableSet(patterns);
  }

  public List<String> capabilities() {
    return capabilities;
  }

  public boolean isRegistered() {
    return registered;
  }

  /** Round-trip time of the last WebSocket ping, or NaN before the first pong. */
  public double latencyMillis() {
    return latencyMillis;
  }

  public boolean isClosed() {
    return closed;
  }

  void markClosed() {
    closed = true;
  }

  public boolean isAuthenticated() {
    return type != ClientType.PENDING;
  }

  void authenticate(ClientType newType, String newId, Set<Permission> granted, String token) {
    this.permissions =
        granted.isEmpty()
            ? Collections.emptySet()
            : Collections.unmodifiableSet(EnumSet.copyOf(granted));
    this.tokenName = token;
    this.id = newId;
    this.type = newType;
  }

  void register(String workerId, List<String> newCapabilities) {
    this.id = workerId;
    this.capabilities = List.copyOf(newCapabilities);
    this.registered = true;
  }

  void writerIdentity(SseWriterIdentity identity) {
    this.writerIdentity = identity;
  }

  SseWriterIdentity writerIdentity() {
    return writerIdentity;
  }

  boolean addPattern(String pattern) {
    return patterns.add(pattern);
  }

  boolean removePattern(String pattern) {
    return patterns.remove(pattern);
  }

  void seen(long nowNanos) {
    lastSeenNanos = nowNanos;
  }

  long lastSeenNanos() {
    return lastSeenNanos;
  }

  void pingSent(long nowNanos) {
    pingSentNanos = nowNanos;
  }

  void pongReceived(long nowNanos) {
    long sent = pingSentNanos;
    if (sent != 0) {
      latencyMillis = (nowNanos - sent) / 1_000_000.0;
    }
  }

  void authTimer(ScheduledFuture<?> timer) {
    this.authTimer = timer;
  }

  void cancelAuthTimer() {
    ScheduledFuture<?> timer = authTimer;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Whether this connection wants {@code event}; SSE-writers see only their own session. */
  boolean accepts(EventMessage event) {
    SseWriterIdentity identity = writerIdentity;
    return identity == null || identity.accepts(event);
  }

  @Override
  public boolean send(ServerFrame frame) {
    return sink.sendText(
        frame instanceof ServerFrame.HandWritten hot ? hot.json() : Json.write(frame));
  }

  boolean deliver(EventMessage event, String pattern) {
    RecoveryBuffer buffer = recovery;
    if (buffer != null && buffer.hold(event, pattern)) {
      return true;
    }
    return sink.sendEvent(event, pattern);
  }

  /** From now on live events wait in the returned buffer until its {@code finish}. */
  RecoveryBuffer beginRecovery() {
    RecoveryBuffer buffer = new RecoveryBuffer();
    recovery = buffer;
    return buffer;
  }

  void endRecovery() {
    recovery = null;
  }

  FrameSink sink() {
    return sink;
  }

  public void close(int code, String reason) {
    sink.close(code, reason);
  }

  @Override
  public String toString() {
    return id + " (" + type.label() + ", " + peer.address() + ")";
  }
}
