package io.cmws.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.hub.Epochs;
import io.cmws.hub.EventBus;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Channels shared by several hubs through Redis. A publish runs one Lua script that takes the
 * channel's next seq from a shared counter, appends the event to the channel's stream (capped at
 * the history size) and announces it on one pub/sub channel that every hub listens to; each hub
 * then matches patterns itself and keeps the history locally, as a hub of its own would.
 * Announcements missed while a hub was cut off are read back from the streams, so every hub holds
 * every channel's events in seq order with no gap the streams can fill.
 *
 * <p>Two threads: one sends publishes ({@link RedisEventPublisher}), one listens and reconnects
 * with backoff; the sink hears from the listener only. While Redis is unreachable, {@link
 * #unavailable} says so and publishes fail with that reason.
 */
public final class RedisEventBus implements EventBus {
  private static final Logger LOG = LoggerFactory.getLogger(RedisEventBus.class);
  private static final long MAX_BACKOFF_MS = 2_000;
  private static final long START_TIMEOUT_S = 10;

  private final RedisSettings settings;
  private final RedisKeys keys;
  private final JedisPooled redis;
  private final int historySize;
  private final RedisHealth health;
  private final RedisEventPublisher publishing;
  private final CountDownLatch firstSync = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile String epoch;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile JedisPubSub listener;
  private volatile Consumer<String> signalHandler = message -> {};
  private Sink sink;
  private Thread publisher;
  private Thread subscriber;

  /**
   * Connects and makes sure there is an epoch; throws {@link RedisUnavailableException} if Redis
   * cannot be reached.
   */
  public static RedisEventBus connect(RedisSettings settings, int historySize) {
    JedisPooled redis = new JedisPooled(settings.url());
    try {
      RedisEventBus bus = new RedisEventBus(settings, redis, historySize);
      bus.epoch = bus.ensureEpoch();
      return bus;
    } catch (JedisException e) {
      redis.close();
      throw new RedisUnavailableException(
          "cannot reach Redis at " + settings.describe() + ": " + e.getMessage(), e);
    }
  }

  private RedisEventBus(RedisSettings settings, JedisPooled redis, int historySize) {
    this.settings = settings;
    this.keys = new RedisKeys(settings.prefix());
    this.redis = redis;
    this.historySize = Math.max(1, historySize);
    this.health = new RedisHealth(settings);
    this.publishing =
        new RedisEventPublisher(
            redis, keys, this.historySize, health, this::reconnectListener, this::ensureEpoch);
  }

  JedisPooled redis() {
    return redis;
  }

  String prefix() {
    return settings.prefix();
  }

  /**
   * Other components' signals ride on the listener's connection: {@code handler} gets each, and
   * {@code "M"} after a reconnect (signals may have been missed meanwhile).
   */
  void onSignal(Consumer<String> handler) {
    this.signalHandler = handler;
  }

  /**
   * Sends a signal to every hub (this one included); lost if Redis is down, like any pub/sub
   * message.
   */
  void signal(String message) {
    try {
      redis.publish(keys.signals(), message);
    } catch (JedisException e) {
      health.down(e);
    }
  }

  @Override
  public String start(Sink newSink) {
    this.sink = newSink;
    publisher = daemon("cmws-redis-publisher", publishing::run);
    subscriber = daemon("cmws-redis-subscriber", this::listenLoop);
    try {
      if (!firstSync.await(START_TIMEOUT_S, TimeUnit.SECONDS)) {
        LOG.warn("history not yet read back from Redis after {} s; carrying on", START_TIMEOUT_S);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return epoch;
  }

  @Override
  public void publish(
      String channel, JsonNode data, String dataJson, long timestamp, Published done) {
    publishing.offer(channel, dataJson != null ? dataJson : Json.write(data), timestamp, done);
  }

  @Override
  public String unavailable() {
    return health.unavailable();
  }

  /** The shared history epoch as last seen. */
  public String epoch() {
    return epoch;
  }

  /** Stops publishing and delivering; idempotent (the hub stops it first, its storage after). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    running = false;
    publishing.stop();
    reconnectListener();
    if (publisher != null) {
      publisher.interrupt();
      join(publisher);
    }
    if (subscriber != null) {
      join(subscriber);
    }
    publishing.failWaiting();
    redis.close();
  }

  // ---- listening

  private void reconnectListener() {
    JedisPubSub current = listener;
    if (current != null && current.isSubscribed()) {
      try {
        current.unsubscribe();
      } catch (JedisException e) {
        // its connection is broken too: the listen loop is reconnecting already
      }
    }
  }

  private void listenLoop() {
    long backoff = 100;
    while (running) {
      Listener current = new Listener();
      listener = current;
      try (Jedis connection = new Jedis(settings.url())) {
        connection.subscribe(current, keys.events(), keys.signals());
      } catch (JedisException e) {
        if (running) {
          health.down(e);
        }
      }
      if (current.synced) {
        backoff = 100;
      }
      if (running) {
        sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
  }

  private final class Listener extends JedisPubSub {
    volatile boolean synced;

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      if (!channel.equals(keys.signals())) {
        return; // the events channel comes first; resync once both are subscribed
      }
      try {
        resync();
        synced = true;
        health.up();
        if (firstSync.getCount() == 0) {
          signalHandler.accept("M");
        }
        firstSync.countDown();
      } catch (JedisException | IllegalStateException e) {
        health.down(e);
        unsubscribe();
      }
    }

    @Override
    public void onMessage(String channel, String message) {
      try {
        if (channel.equals(keys.signals())) {
          signalHandler.accept(message);
          return;
        }
        receive(message);
      } catch (RuntimeException e) {
        LOG.error("could not deliver an event from Redis: {}", e.toString(), e);
      }
    }
  }

  /** One announcement: {@code epoch \n seq \n timestamp \n channel \n data}. */
  private void receive(String message) {
    String[] parts = message.split("\n", 5);
    if (parts.length != 5) {
      LOG.warn("ignoring a malformed announcement on {}", keys.events());
      return;
    }
    if (!parts[0].equals(epoch)) {
      checkEpoch();
      if (!parts[0].equals(epoch)) {
        return; // from a history that no longer exists
      }
    }
    long seq = Long.parseLong(parts[1]);
    String channel = parts[3];
    long last = sink.lastSeq(channel);
    if (seq <= last) {
      return;
    }
    if (seq > last + 1) {
      catchUp(channel, last, seq - 1);
    }
    sink.event(
        new EventMessage(
            channel, parse(parts[4]), parts[4], Long.parseLong(parts[2]), seq, List.of()));
  }

  /**
   * Reads back what this hub may have missed: a new epoch voids the local history; then every
   * channel's stream after the newest seq held here (or its whole kept tail, for a new hub).
   */
  private void resync() {
    checkEpoch();
    for (String channel : redis.smembers(keys.channels())) {
      long last = sink.lastSeq(channel);
      List<StreamEntry> entries;
      if (last == 0) {
        entries = new ArrayList<>(redis.xrevrange(keys.history(channel), "+", "-", historySize));
        Collections.reverse(entries);
      } else {
        entries = redis.xrange(keys.history(channel), (last + 1) + "-1", "+");
      }
      entries.forEach(entry -> sink.event(event(channel, entry)));
    }
  }

  private void catchUp(String channel, long after, long upTo) {
    for (StreamEntry entry : redis.xrange(keys.history(channel), (after + 1) + "-1", upTo + "-1")) {
      sink.event(event(channel, entry));
    }
  }

  private void checkEpoch() {
    String current = ensureEpoch();
    if (!current.equals(epoch)) {
      String previous = epoch;
      epoch = current;
      if (previous != null && sink != null) {
        sink.epochChanged(current);
      }
    }
  }

  /**
   * The shared epoch; a Redis without one (new, or restarted without persistence) gets a new one.
   */
  private String ensureEpoch() {
    redis.set(keys.epoch(), Epochs.fresh(), SetParams.setParams().nx());
    String current = redis.get(keys.epoch());
    if (current == null) {
      throw new IllegalStateException("Redis lost the epoch key just after setting it");
    }
    return current;
  }

  private static EventMessage event(String channel, StreamEntry entry) {
    String data = entry.getFields().get("d");
    return new EventMessage(
        channel,
        parse(data),
        data,
        Long.parseLong(entry.getFields().get("t")),
        entry.getID().getTime(),
        List.of());
  }

  private static JsonNode parse(String json) {
    try {
      return Json.parse(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "an event in Redis is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
