package io.cmws.hub;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters the hub keeps for {@code /metrics}; cheap to update from any thread. */
public final class HubMetrics {
  private final LongAdder eventsPublished = new LongAdder();
  private final LongAdder eventsDelivered = new LongAdder();
  private final LongAdder framesReceived = new LongAdder();
  private final LongAdder connectionsOpened = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> slowConsumers = new ConcurrentHashMap<>();
  private final LongAdder eventsDropped = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> limitRejections = new ConcurrentHashMap<>();
  private final AtomicInteger handshakesPending = new AtomicInteger();

  void published() {
    eventsPublished.increment();
  }

  void delivered(int count) {
    eventsDelivered.add(count);
  }

  void frameReceived() {
    framesReceived.increment();
  }

  void connectionOpened() {
    connectionsOpened.increment();
  }

  /** A connection overflowed its outbox; {@code policy} says what was done about it. */
  /** Connections closed or trimmed as slow consumers since the start, every policy. */
  public long slowConsumerCount() {
    return slowConsumers.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public void slowConsumer(String policy) {
    slowConsumers.computeIfAbsent(policy, k -> new LongAdder()).increment();
  }

  /** Events dropped from full outboxes under the drop-oldest policy. */
  public void eventsDropped(int count) {
    eventsDropped.add(count);
  }

  /** Counts one error of {@code kind} (an error code, or a close reason like heartbeat_timeout). */
  public void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /**
   * Something was refused because a client hit {@code limit} (connections, rate, subscriptions,
   * ...).
   */
  public void limitRejected(String limit) {
    limitRejections.computeIfAbsent(limit, k -> new LongAdder()).increment();
  }

  /** A connection was accepted and has not finished its WebSocket handshake yet. */
  public void handshakeStarted() {
    handshakesPending.incrementAndGet();
  }

  /**
   * An unfinished handshake finished, failed or was closed: called once per {@link
   * #handshakeStarted}.
   */
  public void handshakeEnded() {
    handshakesPending.decrementAndGet();
  }

  public int handshakesPending() {
    return handshakesPending.get();
  }

  public long limitRejections(String limit) {
    LongAdder adder = limitRejections.get(limit);
    return adder == null ? 0 : adder.sum();
  }

  public long eventsPublished() {
    return eventsPublished.sum();
  }

  public long eventsDelivered() {
    return eventsDelivered.sum();
  }

  public long errors(String kind) {
    LongAdder adder = errors.get(kind);
    return adder == null ? 0 : adder.sum();
  }

  /** Errors by kind, sorted. */
  public Map<String, Long> errorCounts() {
    Map<String, Long> byKind = new TreeMap<>();
    errors.forEach((kind, adder) -> byKind.put(kind, adder.sum()));
    return byKind;
  }

  void writeCounters(PrometheusText out) {
    out.counter(
        "cmws_events_published_total", "Events published on any channel", eventsPublished.sum());
    out.counter(
        "cmws_events_delivered_total", "Event frames queued to subscribers", eventsDelivered.sum());
    out.counter("cmws_frames_received_total", "Frames received from clients", framesReceived.sum());
    out.counter(
        "cmws_connections_opened_total",
        "Connections accepted since start",
        connectionsOpened.sum());
    out.gauge(
        "cmws_handshakes_pending",
        "Connections whose WebSocket handshake has not finished",
        handshakesPending.get());
    out.labelled("cmws_errors_total", "counter", "Errors by kind", "kind", errorCounts());
    Map<String, Long> slow = new TreeMap<>();
    slowConsumers.forEach((policy, adder) -> slow.put(policy, adder.sum()));
    out.labelled(
        "cmws_slow_consumers_total",
        "counter",
        "Connections whose outbox overflowed, by policy",
        "policy",
        slow);
    out.counter(
        "cmws_events_dropped_total",
        "Events dropped from full outboxes (drop-oldest)",
        eventsDropped.sum());
    Map<String, Long> limits = new TreeMap<>();
    limitRejections.forEach((limit, adder) -> limits.put(limit, adder.sum()));
    out.labelled(
        "cmws_limit_rejections_total",
        "counter",
        "Refusals because a client reached a limit",
        "limit",
        limits);
  }
}
