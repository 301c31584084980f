package io.cmws.redis;

import io.cmws.hub.EventBus.Published;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Sends publishes to Redis in pipelined batches on a thread of its own, so callers never wait on
 * Redis. {@link #offer} is called from any thread; everything else runs on the publisher thread.
 */
final class RedisEventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(RedisEventPublisher.class);
  static final int MAX_WAITING = 100_000;
  private static final int MAX_BATCH = 1_000;
  private static final LuaScript PUBLISH = LuaScript.fromResources("event-publish.lua");

  private record Pending(String channel, String data, long timestamp, Published done) {}

  private final JedisPooled redis;
  private final RedisKeys keys;
  private final int historySize;
  private final RedisHealth health;

  /** Told when Redis broke mid-batch (the listener reconnects and reads back what was missed). */
  private final Runnable broken;

  /** Told when the shared epoch was gone (a Redis restarted without persistence). */
  private final Runnable epochMissing;

  private final BlockingQueue<Pending> waiting = new ArrayBlockingQueue<>(MAX_WAITING);
  private volatile boolean running = true;

  RedisEventPublisher(
      JedisPooled redis,
      RedisKeys keys,
      int historySize,
      RedisHealth health,
      Runnable broken,
      Runnable epochMissing) {
    this.redis = redis;
    this.keys = keys;
    this.historySize = historySize;
    this.health = health;
    this.broken = broken;
    this.epochMissing = epochMissing;
  }

  /** Queues a publish; {@code done} hears at once if it cannot be taken. Never blocks. */
  void offer(String channel, String dataJson, long timestamp, Published done) {
    // no refusal while Redis is down: clients are refused before they get here, and the hub's own
    // events get their chance the moment Redis answers again
    if (!running) {
      done.done(0, new IllegalStateException("the hub is stopping"));
    } else if (!waiting.offer(new Pending(channel, dataJson, timestamp, done))) {
      done.done(
          0, new IllegalStateException(MAX_WAITING + " publishes are already waiting for Redis"));
    }
  }

  /** The publisher thread's loop, until {@link #stop}. */
  void run() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (running) {
      try {
        Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        waiting.drainTo(batch, MAX_BATCH - 1);
        send(batch);
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.error("publishing to Redis failed", e);
        batch.forEach(p -> p.done().done(0, e));
      } finally {
        batch.clear();
      }
    }
  }

  /** Stops taking publishes; those still waiting fail with "the hub is stopping". */
  void stop() {
    running = false;
  }

  void failWaiting() {
    for (Pending pending = waiting.poll(); pending != null; pending = waiting.poll()) {
      pending.done().done(0, new IllegalStateException("the hub is stopping"));
    }
  }

  /** Sends a batch in one pipeline; retries once if Redis had forgotten the script. */
  private void send(List<Pending> batch) {
    List<Response<Object>> replies;
    try {
      replies = pipeline(batch);
    } catch (JedisException e) {
      health.down(e);
      batch.forEach(p -> p.done().done(0, new IllegalStateException(health.describe(e))));
      broken.run();
      return;
    }
    List<Pending> retry = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      try {
        pending.done().done((Long) replies.get(i).get(), null);
      } catch (JedisNoScriptException e) {
        retry.add(pending);
      } catch (JedisDataException e) {
        if (String.valueOf(e.getMessage()).contains("NOEPOCH")) {
          epochMissing.run(); // the shared history is gone: start a new one
        }
        pending
            .done()
            .done(0, new IllegalStateException("Redis refused the event: " + e.getMessage()));
      }
    }
    if (!retry.isEmpty()) {
      PUBLISH.load(redis);
      send(retry);
    }
  }

  private List<Response<Object>> pipeline(List<Pending> batch) {
    List<Response<Object>> replies = new ArrayList<>(batch.size());
    try (Pipeline pipeline = redis.pipelined()) {
      for (Pending p : batch) {
        replies.add(
            pipeline.evalsha(
                PUBLISH.sha(),
                List.of(
                    keys.seqs(),
                    keys.history(p.channel()),
                    keys.channels(),
                    keys.events(),
                    keys.epoch()),
                List.of(
                    p.channel(),
                    p.data(),
                    Long.toString(p.timestamp()),
                    Integer.toString(historySize))));
      }
      pipeline.sync();
    }
    return replies;
  }
}
