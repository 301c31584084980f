package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ChannelNames;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.ProtocolException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Subscriptions and publishing. Each channel has its own lock, held while its next {@code seq} is
 * taken and the event is queued to every subscriber, so every subscriber sees a channel's events in
 * {@code seq} order while different channels publish in parallel. Queuing never blocks; taking a
 * seq waits only when the store has not yet reserved it on disk.
 */
final class ChannelRouter {
  private final ConcurrentSubscriptionIndex<Connection> index = new ConcurrentSubscriptionIndex<>();
  private final ConcurrentHashMap<String, ChannelLog> channels = new ConcurrentHashMap<>();
  private final Clock clock;
  private final HubMetrics metrics;
  private final int historySize;
  private volatile EventListener listener = event -> {};
  private volatile SeqReserver reserver = (channel, seq) -> {};

  /** Makes a seq safe to hand out (see {@link HubStorage#reserve}). */
  @FunctionalInterface
  interface SeqReserver {
    void reserve(String channel, long seq);
  }

  /**
   * Sees every published event, under its channel's lock, on the publishing thread (the store
   * persists history this way); must not block.
   */
  @FunctionalInterface
  interface EventListener {
    void published(EventMessage event);
  }

  ChannelRouter(Clock clock, HubMetrics metrics, int historySize) {
    this.clock = clock;
    this.metrics = metrics;
    this.historySize = historySize;
  }

  void listener(EventListener newListener) {
    this.listener = newListener;
  }

  /** A router with the channels {@code storage} kept, telling it about every event from now on. */
  static ChannelRouter restored(
      HubStorage storage, Clock clock, HubMetrics metrics, int historySize) {
    ChannelRouter router = new ChannelRouter(clock, metrics, historySize);
    storage
        .channels()
        .forEach(
            kept ->
                router.channels.put(
                    kept.channel(),
                    ChannelLog.restored(historySize, kept.lastSeq(), kept.events(), kept.lost())));
    router.listener(storage::published);
    router.reserver = storage::reserve;
    return router;
  }

  void forEachLog(BiConsumer<String, ChannelLog> action) {
    channels.forEach(action);
  }

  /** The last {@code n} kept events of a channel. */
  ChannelLog.Replay history(String channel, int n) {
    ChannelLog log = channels.get(channel);
    if (log == null) {
      return new ChannelLog.Replay(List.of(), true);
    }
    synchronized (log) {
      return log.last(n);
    }
  }

  /** Validates all patterns first, so a bad one subscribes nothing; returns the newly added. */
  List<String> subscribe(Connection connection, List<String> patterns) {
    validatePatterns(patterns);
    List<String> added = new ArrayList<>();
    synchronized (connection) {
      if (connection.isClosed()) {
        return added;
      }
      for (String pattern : patterns) {
        if (connection.addPattern(pattern)) {
          index.add(pattern, connection);
          added.add(pattern);
        }
      }
    }
    return added;
  }

  List<String> unsubscribe(Connection connection, List<String> patterns) {
    List<String> removed = new ArrayList<>();
    synchronized (connection) {
      for (String pattern : patterns) {
        if (connection.removePattern(pattern)) {
          index.remove(pattern, connection);
          removed.add(pattern);
        }
      }
    }
    return removed;
  }

  /** Drops every subscription of a closing connection; later subscribes are ignored. */
  void removeAll(Connection connection) {
    synchronized (connection) {
      connection.markClosed();
      for (String pattern : List.copyOf(connection.patterns())) {
        connection.removePattern(pattern);
        index.remove(pattern, connection);
      }
    }
  }

  /** Publishes on a valid channel name and returns the event's sequence number. */
  long publish(String channel, JsonNode data) {
    return publish(channel, data, null, List.of());
  }

  /**
   * As {@link #publish(String, JsonNode)}, with {@code data}'s text if known (else null), for an
   * event that may have come through federated hubs ({@code via}).
   */
  long publish(String channel, JsonNode data, String dataJson, List<String> via) {
    ChannelLog log = channels.computeIfAbsent(channel, name -> new ChannelLog(historySize, 0));
    synchronized (log) {
      reserver.reserve(channel, log.lastSeq() + 1); // may throw: then nothing was taken
      EventMessage event =
          new EventMessage(channel, data, dataJson, clock.millis(), log.nextSeq(), via);
      log.append(event);
      listener.published(event);
      List<ConcurrentSubscriptionIndex.Group<Connection>> groups = index.match(channel);
      int delivered =
          groups.size() == 1 ? deliverAll(groups.get(0), event) : deliverOnce(groups, event);
      metrics.published();
      metrics.delivered(delivered);
      return event.seq();
    }
  }

  /**
   * Delivers an event numbered by the shared bus, in seq order per channel; one this hub already
   * has is ignored. Holds the channel's lock like {@link #publish}.
   */
  void deliver(EventMessage event) {
    ChannelLog log =
        channels.computeIfAbsent(event.channel(), name -> new ChannelLog(historySize, 0));
    synchronized (log) {
      if (event.seq() <= log.lastSeq()) {
        return;
      }
      log.appendNumbered(event);
      listener.published(event);
      List<ConcurrentSubscriptionIndex.Group<Connection>> groups = index.match(event.channel());
      int delivered =
          groups.size() == 1 ? deliverAll(groups.get(0), event) : deliverOnce(groups, event);
      metrics.published();
      metrics.delivered(delivered);
    }
  }

  /** The newest seq kept for a channel; 0 if none. */
  long lastSeq(String channel) {
    ChannelLog log = channels.get(channel);
    if (log == null) {
      return 0;
    }
    synchronized (log) {
      return log.lastSeq();
    }
  }

  /** Whether {@code channel} has been published on (and so has a history here). */
  boolean knows(String channel) {
    return channels.containsKey(channel);
  }

  /** Forgets every channel's history and counter (a new epoch); subscriptions stay. */
  void resetHistory() {
    channels.clear();
  }

  static void validateChannel(String channel) {
    ChannelNames.channelProblem(channel)
        .ifPresent(
            problem -> {
              throw new ProtocolException(ErrorCode.INVALID_CHANNEL, problem);
            });
  }

  static void validatePatterns(List<String> patterns) {
    for (String pattern : patterns) {
      ChannelNames.patternProblem(pattern)
          .ifPresent(
              problem -> {
                throw new ProtocolException(ErrorCode.INVALID_PATTERN, problem);
              });
    }
  }

  private static int deliverAll(
      ConcurrentSubscriptionIndex.Group<Connection> group, EventMessage event) {
    int delivered = 0;
    for (int i = 0; i < group.size(); i++) {
      if (offer(group.member(i), event, group.pattern())) {
        delivered++;
      }
    }
    return delivered;
  }

  /** Several patterns matched: a connection holding more than one still gets the event once. */
  private static int deliverOnce(
      List<ConcurrentSubscriptionIndex.Group<Connection>> groups, EventMessage event) {
    if (groups.isEmpty()) {
      return 0;
    }
    Set<Connection> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    int delivered = 0;
    for (ConcurrentSubscriptionIndex.Group<Connection> group : groups) {
      for (int i = 0; i < group.size(); i++) {
        Connection connection = group.member(i);
        if (seen.add(connection) && offer(connection, event, group.pattern())) {
          delivered++;
        }
      }
    }
    return delivered;
  }

  private static boolean offer(Connection connection, EventMessage event, String pattern) {
    return connection.accepts(event) && connection.deliver(event, pattern);
  }

  /** Known channels (published at least once), by name: last seq and subscribers it reaches. */
  List<ChannelView> channelViews(int limit) {
    List<ChannelView> views = new ArrayList<>();
    for (var entry : new TreeMap<>(channels).entrySet()) {
      if (views.size() >= limit) {
        break;
      }
      Set<Connection> subscribers = Collections.newSetFromMap(new IdentityHashMap<>());
      for (ConcurrentSubscriptionIndex.Group<Connection> group : index.match(entry.getKey())) {
        for (int i = 0; i < group.size(); i++) {
          subscribers.add(group.member(i));
        }
      }
      long seq;
      synchronized (entry.getValue()) {
        seq = entry.getValue().lastSeq();
      }
      views.add(new ChannelView(entry.getKey(), seq, subscribers.size()));
    }
    return views;
  }

  Map<String, Integer> patternCounts() {
    return index.patternCounts();
  }

  record ChannelView(String channel, long seq, int subscribers) {}

  int subscriptions() {
    return index.size();
  }

  int patterns() {
    return index.patternCount();
  }

  int channels() {
    return channels.size();
  }
}
