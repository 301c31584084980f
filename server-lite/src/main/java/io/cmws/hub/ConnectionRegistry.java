package io.cmws.hub;

import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Open connections and the id counter, which pending and final ids share as in the reference. */
final class ConnectionRegistry {
  private final AtomicLong counter = new AtomicLong();
  private final Map<Long, Connection> open = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perHost = new ConcurrentHashMap<>();
  private final Clock clock;

  ConnectionRegistry(Clock clock) {
    this.clock = clock;
  }

  /** A new pending connection, id {@code pending-<n>-<epochMs>}. */
  Connection create(RemotePeer peer, FrameSink sink, long nowNanos) {
    long number = counter.incrementAndGet();
    long now = clock.millis();
    Connection connection =
        new Connection(number, "pending-" + number + "-" + now, peer, sink, now, nowNanos);
    open.put(number, connection);
    perHost.computeIfAbsent(peer.host(), h -> new AtomicInteger()).incrementAndGet();
    return connection;
  }

  /** A final id like {@code browser-<n>-<epochMs base36>}. */
  String nextId(ClientType type) {
    return nextId(type.label());
  }

  /** A final id like {@code cli-<n>-<epochMs base36>} or {@code gpu-box-<n>-...}. */
  String nextId(String prefix) {
    return prefix + "-" + counter.incrementAndGet() + "-" + Long.toString(clock.millis(), 36);
  }

  /** The reference's legacy SSE client id, {@code sse-<n>-<epochMs>}. */
  String legacyStreamId() {
    return "sse-" + counter.incrementAndGet() + "-" + clock.millis();
  }

  void remove(Connection connection) {
    if (open.remove(connection.number()) != null) {
      perHost.computeIfPresent(
          connection.peer().host(), (h, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
  }

  /** Open connections from {@code host}. */
  int countFrom(String host) {
    AtomicInteger count = perHost.get(host);
    return count == null ? 0 : count.get();
  }

  Collection<Connection> all() {
    return Collections.unmodifiableCollection(open.values());
  }

  int size() {
    return open.size();
  }

  Map<ClientType, Integer> countsByType() {
    Map<ClientType, Integer> counts = new EnumMap<>(ClientType.class);
    for (ClientType type : ClientType.values()) {
      counts.put(type, 0);
    }
    for (Connection connection : open.values()) {
      counts.merge(connection.type(), 1, Integer::sum);
    }
    return counts;
  }
}
