package io.cmws.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cmws.testing.NaiveMatcher;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The trie against a naive matcher that follows the rules literally, on random input. */
class SubscriptionIndexProperties {

  @Property(tries = 300)
  void indexAgreesWithNaiveMatcher(
      @ForAll @Size(min = 1, max = 40) List<@From("patterns") String> patterns,
      @ForAll @Size(min = 1, max = 20) List<@From("channels") String> channels) {
    ConcurrentSubscriptionIndex<String> index = new ConcurrentSubscriptionIndex<>();
    Set<String> distinct = new java.util.LinkedHashSet<>(patterns);
    for (String pattern : distinct) {
      index.add(pattern, pattern); // one subscriber per pattern, named after it
    }
    for (String channel : channels) {
      Set<String> expected = new HashSet<>();
      for (String pattern : distinct) {
        if (NaiveMatcher.matches(pattern, channel)) {
          expected.add(pattern);
        }
      }
      Set<String> actual = new HashSet<>();
      for (var group : index.match(channel)) {
        assertEquals(1, group.size());
        assertEquals(group.pattern(), group.member(0));
        actual.add(group.member(0));
      }
      assertEquals(expected, actual, "channel " + channel);
    }
  }

  @Property(tries = 200)
  void removingEverythingLeavesNoMatch(
      @ForAll @Size(min = 1, max = 30) List<@From("patterns") String> patterns,
      @ForAll @Size(min = 1, max = 10) List<@From("channels") String> channels) {
    ConcurrentSubscriptionIndex<String> index = new ConcurrentSubscriptionIndex<>();
    patterns.forEach(p -> index.add(p, "s"));
    patterns.forEach(p -> index.remove(p, "s"));
    for (String channel : channels) {
      assertEquals(List.of(), index.match(channel));
    }
    assertEquals(0, index.size());
  }

  /** Few segment names, so patterns and channels collide often. */
  private static Arbitrary<String> segment() {
    return Arbitraries.of("a", "b", "c", "session", "task");
  }

  @Provide
  Arbitrary<String> channels() {
    return segment().list().ofMinSize(1).ofMaxSize(5).map(s -> String.join(":", s));
  }

  @Provide
  Arbitrary<String> patterns() {
    Arbitrary<String> patternSegment =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, segment()), net.jqwik.api.Tuple.of(1, Arbitraries.just("*")));
    return patternSegment.list().ofMinSize(1).ofMaxSize(5).map(s -> String.join(":", s));
  }
}
