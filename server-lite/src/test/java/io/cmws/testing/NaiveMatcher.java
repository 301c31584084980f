package io.cmws.testing;

/**
 * The wildcard rules applied literally, one pattern at a time: the oracle for property tests and
 * the linear-scan baseline (the reference's approach) for benchmarks.
 */
public final class NaiveMatcher {
  private NaiveMatcher() {}

  /** '*' alone matches all; a trailing '*' one or more segments; any other '*' exactly one. */
  public static boolean matches(String pattern, String channel) {
    if (pattern.equals("*")) {
      return true;
    }
    String[] p = pattern.split(":", -1);
    String[] c = channel.split(":", -1);
    boolean trailing = p[p.length - 1].equals("*");
    if (trailing ? c.length < p.length : c.length != p.length) {
      return false;
    }
    for (int i = 0; i < p.length - (trailing ? 1 : 0); i++) {
      if (!p[i].equals("*") && !p[i].equals(c[i])) {
        return false;
      }
    }
    return true;
  }
}
