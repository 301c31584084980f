package io.cmws.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answers, as the last attempt found it: null while it does, else why not in words
 * for clients and {@code /health}. Each outage is logged once. Thread-safe.
 */
final class RedisHealth {
  private static final Logger LOG = LoggerFactory.getLogger(RedisHealth.class);

  private final RedisSettings settings;
  private volatile String down;

  RedisHealth(RedisSettings settings) {
    this.settings = settings;
  }

  String unavailable() {
    return down;
  }

  void down(Exception e) {
    String why = describe(e);
    if (down == null) {
      LOG.warn("{}; publishes and submissions are refused until it is back", why);
    }
    down = why;
  }

  void up() {
    if (down != null) {
      LOG.info("Redis at {} is reachable again", settings.describe());
    }
    down = null;
  }

  String describe(Exception e) {
    return "Redis at " + settings.describe() + " is unreachable: " + e.getMessage();
  }
}
