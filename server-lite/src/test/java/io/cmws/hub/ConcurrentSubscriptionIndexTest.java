package io.cmws.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConcurrentSubscriptionIndexTest {

  /** Patterns that match {@code channel} when {@code pattern} is the only subscription. */
  private static boolean matches(String pattern, String channel) {
    ConcurrentSubscriptionIndex<String> index = new ConcurrentSubscriptionIndex<>();
    index.add(pattern, "s");
    return !index.match(channel).isEmpty();
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    // '*' alone matches every channel
    "*, session:started, true",
    "*, a, true",
    "*, a:b:c:d, true",
    // trailing '*' matches one or more further segments (claude-mem compatible)
    "session:*, session:started, true",
    "session:*, session:a:b, true",
    "session:*, session, false",
    "session:*, sessions:started, false",
    "task:*, user-task:created, false",
    "task:*, task:queued, true",
    // '*' elsewhere matches exactly one segment
    "task:*:failed, task:observation:failed, true",
    "task:*:failed, task:failed, false",
    "task:*:failed, task:a:b:failed, false",
    "task:*:failed, task:x:failed:y, false",
    "*:completed, task:completed, true",
    "*:completed, completed, false",
    "*:completed, a:b:completed, false",
    "*:*, a:b, true",
    "*:*, a:b:c, true",
    "*:*, a, false",
    "a:*:b:*, a:x:b:y:z, true",
    "a:*:b:*, a:x:b, false",
    // everything else is literal
    "session:started, session:started, true",
    "session:started, session:started:x, false",
    "session:started, session, false",
    "session:started, Session:started, false",
  })
  void followsTheWildcardRules(String pattern, String channel, boolean expected) {
    assertEquals(expected, matches(pattern, channel));
  }

  @Test
  void reportsWhichPatternMatched() {
    ConcurrentSubscriptionIndex<String> index = new ConcurrentSubscriptionIndex<>();
    index.add("session:*", "a");
    index.add("*", "b");
    index.add("session:started", "c");
    index.add("*:started", "d");
    index.add("task:*", "e");
    Set<String> seen = new TreeSet<>();
    for (var group : index.match("session:started")) {
      for (int i = 0; i < group.size(); i++) {
        seen.add(group.pattern() + "=" + group.member(i));
      }
    }
    assertEquals(Set.of("session:*=a", "*=b", "session:started=c", "*:started=d"), seen);
  }

  @Test
  void listsASubscriberOncePerMatchingPattern() {
    ConcurrentSubscriptionIndex<String> index = new ConcurrentSubscriptionIndex<>();
    assertTrue(index.add("session:*", "a"));
    assertFalse(index.add("session:*", "a"));
    assertTrue(index.add("*", "a"));
    assertEquals(2, index.match("session:x").size());
    assertEquals(2, index.size());
    assertEquals(2, index.patternCount());
  }

  @Test
  void removesAndPrunesEmptyNodes() {
    ConcurrentSubscriptionIndex<String> index = new ConcurrentSubscriptionIndex<>();
    index.add("a:*:c", "s1");
    index.add("a:*:c", "s2");
    index.add("a:b", "s1");
    assertTrue(index.remove("a:*:c", "s1"));
    assertFalse(index.remove("a:*:c", "s1"));
    assertFalse(index.remove("never:added", "s1"));
    assertEquals(1, index.match("a:x:c").size());
    assertTrue(index.remove("a:*:c", "s2"));
    assertTrue(index.remove("a:b", "s1"));
    assertTrue(index.match("a:x:c").isEmpty());
    assertTrue(index.match("a:b").isEmpty());
    assertEquals(0, index.size());
    assertEquals(0, index.patternCount());
  }

  @Test
  void keepsManySubscribersOfOnePattern() {
    ConcurrentSubscriptionIndex<Integer> index = new ConcurrentSubscriptionIndex<>();
    List<Integer> subscribers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Integer subscriber = Integer.valueOf(i + 100_000); // distinct identities
      subscribers.add(subscriber);
      index.add("bench:*", subscriber);
    }
    assertEquals(1000, index.match("bench:1").get(0).size());
    for (int i = 0; i < 500; i++) {
      index.remove("bench:*", subscribers.get(i));
    }
    assertEquals(500, index.match("bench:1").get(0).size());
  }
}
