package io.cmws.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"session:started", "task", "a:b:c", "claudemd:ready", "user-task:created", "x y"})
  void acceptsChannels(String channel) {
    assertEquals(Optional.empty(), ChannelNames.channelProblem(channel));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "session:*", "*", "a::b", ":a", "a:", "sess*", "a\nb"})
  void rejectsChannels(String channel) {
    assertTrue(ChannelNames.channelProblem(channel).isPresent(), channel);
  }

  @Test
  void rejectsChannelsLongerThan255Bytes() {
    assertTrue(ChannelNames.channelProblem("a".repeat(256)).isPresent());
    assertEquals(Optional.empty(), ChannelNames.channelProblem("a".repeat(255)));
    // 128 two-byte characters are 256 bytes although only 128 chars
    assertTrue(ChannelNames.channelProblem("é".repeat(128)).isPresent());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"*", "session:*", "task:*:failed", "*:completed", "*:*", "session:started"})
  void acceptsPatterns(String pattern) {
    assertEquals(Optional.empty(), ChannelNames.patternProblem(pattern));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "session*", "sess*:x", "**", "a::*", "*:", "x:**"})
  void rejectsPatterns(String pattern) {
    assertTrue(ChannelNames.patternProblem(pattern).isPresent(), pattern);
  }

  @Test
  void explainsMisplacedWildcard() {
    assertEquals(
        Optional.of("pattern 'session*': '*' must be a whole segment, as in 'session:*'"),
        ChannelNames.patternProblem("session*"));
  }
}
