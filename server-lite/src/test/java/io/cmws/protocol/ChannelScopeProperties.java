package io.cmws.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.testing.NaiveMatcher;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ChannelNames#matches} against the naive oracle, and {@link ChannelNames#covers} for token
 * scopes.
 */
class ChannelScopeProperties {

  @Property(tries = 2000)
  void matchesAgreesWithTheOracle(
      @ForAll("patterns") String pattern, @ForAll("channels") String channel) {
    assertEquals(
        NaiveMatcher.matches(pattern, channel),
        ChannelNames.matches(pattern, channel),
        pattern + " vs " + channel);
  }

  /**
   * Soundness: a covered pattern never reaches a channel outside the scope (checked on every
   * channel of a small universe).
   */
  @Property(tries = 2000)
  void aCoveredPatternStaysInsideTheScope(
      @ForAll("patterns") String scope, @ForAll("patterns") String pattern) {
    if (!ChannelNames.covers(scope, pattern)) {
      return;
    }
    for (String channel : universe()) {
      if (NaiveMatcher.matches(pattern, channel)) {
        assertTrue(
            NaiveMatcher.matches(scope, channel),
            scope + " covers " + pattern + " but not " + channel);
      }
    }
  }

  /** Completeness where it matters: a scope covers itself and any literal channel it matches. */
  @Property(tries = 1000)
  void aScopeCoversItselfAndItsChannels(
      @ForAll("patterns") String scope, @ForAll("channels") String channel) {
    assertTrue(ChannelNames.covers(scope, scope), scope);
    assertEquals(
        NaiveMatcher.matches(scope, channel),
        ChannelNames.covers(scope, channel),
        scope + " vs " + channel);
  }

  @Example
  void examples() {
    assertTrue(ChannelNames.covers("session:*", "session:*"));
    assertTrue(ChannelNames.covers("session:*", "session:S1:started"));
    assertTrue(ChannelNames.covers("session:*", "session:*:started"));
    assertTrue(ChannelNames.covers("*", "anything:*"));
    assertFalse(ChannelNames.covers("session:*", "*"));
    assertFalse(ChannelNames.covers("session:*", "task:*"));
    assertFalse(
        ChannelNames.covers("session:*:started", "session:*"),
        "session:* also reaches session:a:ended");
    assertTrue(ChannelNames.covers("session:*:started", "session:x:started"));
  }

  private static final String[] SEGMENTS = {"a", "b", "c"};

  @Provide
  Arbitrary<String> patterns() {
    Arbitrary<String> segment = Arbitraries.of("a", "b", "c", "*");
    return segment
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(list -> String.join(":", list))
        .filter(p -> ChannelNames.patternProblem(p).isEmpty());
  }

  @Provide
  Arbitrary<String> channels() {
    return Arbitraries.of(SEGMENTS)
        .list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(list -> String.join(":", list));
  }

  /** Every channel of up to 5 segments over a, b, c, d (d is in no pattern). */
  private static List<String> universe() {
    List<String> all = new ArrayList<>();
    List<String> level = List.of("");
    for (int depth = 1; depth <= 5; depth++) {
      List<String> next = new ArrayList<>();
      for (String prefix : level) {
        for (String s : new String[] {"a", "b", "c", "d"}) {
          next.add(prefix.isEmpty() ? s : prefix + ":" + s);
        }
      }
      all.addAll(next);
      level = next;
    }
    return all;
  }
}
