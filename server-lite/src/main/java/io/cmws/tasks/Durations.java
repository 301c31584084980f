package io.cmws.tasks;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses short durations: {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 5m}, {@code 2h}; bare
 * numbers are seconds.
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  private Durations() {}

  public static Duration parse(String value) {
    Matcher m = SIMPLE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration; use e.g. 500ms, 30s, 5m or 1h");
    }
    double amount = Double.parseDouble(m.group(1));
    double millis =
        switch (m.group(2) == null ? "s" : m.group(2)) {
          case "ms" -> amount;
          case "m" -> amount * 60_000;
          case "h" -> amount * 3_600_000;
          default -> amount * 1000;
        };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }
}
