package io.cmws.hub;

/**
 * A token bucket: {@code rate} messages a second on average, {@code burst} at once. Also counts
 * what it refused in the current second, so a flood can be told apart from a client that is merely
 * a little too eager. Guarded by its own monitor (one connection's frames, one thread).
 */
final class RateLimiter {
  private static final long SECOND = 1_000_000_000L;

  private final double rate;
  private final double burst;
  private double tokens;
  private long last;
  private long windowStart;
  private int refusedInWindow;
  private boolean toldInWindow;

  RateLimiter(int rate, int burst, long nowNanos) {
    this.rate = rate;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
    this.windowStart = nowNanos;
  }

  /** What to do with the next message. */
  enum Verdict {
    TAKE,
    /** Drop it and tell the client (once a second). */
    REFUSE_AND_TELL,
    /** Drop it quietly: already told this second. */
    REFUSE,
    /** Refused more than a burst's worth within a second: a flood. */
    FLOOD
  }

  synchronized Verdict next(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - last) * rate / SECOND);
    last = nowNanos;
    if (nowNanos - windowStart >= SECOND) {
      windowStart = nowNanos;
      refusedInWindow = 0;
      toldInWindow = false;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return Verdict.TAKE;
    }
    refusedInWindow++;
    if (refusedInWindow > burst) {
      return Verdict.FLOOD;
    }
    if (!toldInWindow) {
      toldInWindow = true;
      return Verdict.REFUSE_AND_TELL;
    }
    return Verdict.REFUSE;
  }
}
