package io.cmws.cli.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConvertersTest {

  @Test
  void parsesDurations() {
    assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30s"));
    assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30"));
    assertEquals(Duration.ofMillis(1500), DurationConverter.parse("1.5s"));
    assertEquals(Duration.ofMinutes(5), DurationConverter.parse("5m"));
    assertEquals(Duration.ofHours(1), DurationConverter.parse("1h"));
    assertEquals(Duration.ofSeconds(30), DurationConverter.parse("PT30S"));
    assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("soon"));
  }

  @Test
  void parsesSizes() {
    ByteSizeConverter sizes = new ByteSizeConverter();
    assertEquals(1048576, sizes.convert("1MiB"));
    assertEquals(1048576, sizes.convert("1m"));
    assertEquals(4096, sizes.convert("4k"));
    assertEquals(512 * 1024, sizes.convert("512KiB"));
    assertEquals(1000, sizes.convert("1000"));
    assertThrows(CommandLine.TypeConversionException.class, () -> sizes.convert("big"));
    assertThrows(CommandLine.TypeConversionException.class, () -> sizes.convert("4096m"));
  }

  @Test
  void backoffGrowsWithJitterUpToTheCapAndResets() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    long[] ceilings = {100, 200, 400, 800, 1000, 1000};
    for (long ceiling : ceilings) {
      long delay = backoff.next().toMillis();
      assertTrue(
          delay >= ceiling / 2 && delay <= ceiling,
          delay + " within [" + ceiling / 2 + ", " + ceiling + "]");
    }
    assertEquals(6, backoff.attempt());
    backoff.reset();
    assertTrue(backoff.next().toMillis() <= 100);
  }
}
