package io.cmws.tasks;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, as claude-mem computes it (reference-protocol §5.7): before
 * retry n (n = failed attempts so far) wait {@code min(initial * 2^n, max) * (1 + jitter *
 * U(-1,1))}.
 */
public record RetryPolicy(Duration initial, Duration max, double jitter) {

  public RetryPolicy {
    if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "retry policy needs 0 <= initial <= max, got " + initial + " and " + max);
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("retry jitter must be within 0..1, got " + jitter);
    }
  }

  /** {@code random} yields U(-1, 1). */
  public long delayMillis(int failedAttempts, DoubleSupplier random) {
    double base =
        Math.min((double) initial.toMillis() * Math.pow(2, failedAttempts), max.toMillis());
    return Math.max(0, Math.round(base * (1 + jitter * random.getAsDouble())));
  }

  /** Parses {@code INITIAL,MAX,JITTER}, e.g. {@code 500ms,30s,0.1}; durations in ms, s or m. */
  public static RetryPolicy parse(String text) {
    String[] parts = text.split(",");
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "retry policy must look like INITIAL,MAX,JITTER (e.g. 1s,60s,0.2), got '" + text + "'");
    }
    try {
      return new RetryPolicy(
          Durations.parse(parts[0]),
          Durations.parse(parts[1]),
          Double.parseDouble(parts[2].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "retry jitter must be a number, got '" + parts[2] + "'", e);
    }
  }
}
