package io.cmws.cli.support;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: attempt n waits a random time between half and all of
 * {@code min(cap, base * 2^n)}, so many clients that lost the same hub do not return in step. Not
 * thread-safe.
 */
public final class Backoff {
  private final Duration base;
  private final Duration cap;
  private int attempt;

  public Backoff(Duration base, Duration cap) {
    this.base = base;
    this.cap = cap;
  }

  public static Backoff standard() {
    return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));
  }

  /** The delay before the next attempt; advances the attempt counter. */
  public Duration next() {
    long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt, 20));
    attempt++;
    long low = ceiling / 2;
    return Duration.ofMillis(low + ThreadLocalRandom.current().nextLong(ceiling - low + 1));
  }

  public int attempt() {
    return attempt;
  }

  /** Call after a success that proves the far end accepts us (not merely a TCP connect). */
  public void reset() {
    attempt = 0;
  }
}
