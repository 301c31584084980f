package io.cmws.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Rules for channel names and subscription patterns.
 *
 * <p>A channel is {@code :}-separated, non-empty segments, at most {@value #MAX_BYTES} UTF-8 bytes,
 * without {@code *}. In a pattern a segment that is exactly {@code *} is a wildcard: alone it
 * matches every channel, as the last segment it matches one or more further segments, elsewhere
 * exactly one segment. A {@code *} inside a longer segment is refused because it could never match.
 */
public final class ChannelNames {
  public static final int MAX_BYTES = 255;
  public static final String WILDCARD = "*";

  private ChannelNames() {}

  /** Why {@code name} is not a valid channel to publish on, or empty if it is valid. */
  public static Optional<String> channelProblem(String name) {
    Optional<String> common = commonProblem(name, "channel");
    if (common.isPresent()) {
      return common;
    }
    if (name.indexOf('*') >= 0) {
      return Optional.of("channel '" + name + "' contains '*': wildcards are for subscribing only");
    }
    return Optional.empty();
  }

  /** Why {@code pattern} is not a valid subscription pattern, or empty if it is valid. */
  public static Optional<String> patternProblem(String pattern) {
    Optional<String> common = commonProblem(pattern, "pattern");
    if (common.isPresent()) {
      return common;
    }
    for (String segment : pattern.split(":", -1)) {
      if (segment.indexOf('*') >= 0 && !segment.equals(WILDCARD)) {
        return Optional.of(
            "pattern '" + pattern + "': '*' must be a whole segment, as in 'session:*'");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code pattern} matches {@code channel}, by the rules above. */
  public static boolean matches(String pattern, String channel) {
    if (pattern.equals(WILDCARD)) {
      return true;
    }
    String[] p = pattern.split(":", -1);
    String[] c = channel.split(":", -1);
    for (int i = 0; i < p.length; i++) {
      boolean last = i == p.length - 1;
      if (p[i].equals(WILDCARD) && last) {
        return c.length > i; // one or more further segments
      }
      if (i >= c.length || !(p[i].equals(WILDCARD) || p[i].equals(c[i]))) {
        return false;
      }
    }
    return p.length == c.length;
  }

  /**
   * Whether every channel {@code pattern} can match is also matched by {@code scope}: a token
   * limited to {@code scope} may subscribe to {@code pattern}.
   */
  public static boolean covers(String scope, String pattern) {
    if (scope.equals(WILDCARD)) {
      return true;
    }
    if (pattern.equals(WILDCARD)) {
      return false;
    }
    String[] s = scope.split(":", -1);
    String[] p = pattern.split(":", -1);
    for (int i = 0; i < s.length; i++) {
      boolean scopeLast = i == s.length - 1;
      if (i >= p.length) {
        return false;
      }
      boolean patternTail = p[i].equals(WILDCARD) && i == p.length - 1; // one or more segments
      if (s[i].equals(WILDCARD) && scopeLast) {
        return true; // the rest of the pattern is at least one segment
      }
      if (patternTail) {
        return false; // the pattern may reach further than the scope's exact segments
      }
      if (!s[i].equals(WILDCARD) && !s[i].equals(p[i])) {
        return false;
      }
    }
    return p.length == s.length;
  }

  public static boolean isWildcard(String pattern) {
    return pattern.indexOf('*') >= 0;
  }

  private static Optional<String> commonProblem(String text, String what) {
    if (text.isEmpty()) {
      return Optional.of(what + " must not be empty");
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return Optional.of(what + " is longer than " + MAX_BYTES + " bytes");
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < 0x20 || text.charAt(i) == 0x7f) {
        return Optional.of(what + " '" + printable(text) + "' contains a control character");
      }
    }
    if (text.startsWith(":") || text.endsWith(":") || text.contains("::")) {
      return Optional.of(what + " '" + text + "' has an empty segment");
    }
    return Optional.empty();
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }
}
