package io.cmws.cli.client;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Status lines about a connection in one voice for every command: what happened, to what, and what
 * happens next, e.g. {@code cannot connect to ws://127.0.0.1:37777/ws (connection refused);
 * retrying in 1.6 s (attempt 2)}.
 */
public final class ConnectionStatus {
  private ConnectionStatus() {}

  /** {@code connection to URL closed (1006)}. */
  public static String lost(URI url, Inbound.Closed closed) {
    return "connection to " + url + " " + closed.describe();
  }

  /** {@code cannot connect to URL (connection refused)}; {@code why} as the system said it. */
  public static String cannotConnect(URI url, String why) {
    return "cannot connect to " + url + " (" + lowerFirst(why) + ")";
  }

  /**
   * {@code HAPPENED; reconnecting in 1.6 s (attempt 1)} after a connection was lost, {@code
   * retrying} after an attempt failed; {@code nextUrl} names the hub tried next when it is another.
   */
  public static String next(
      String happened, boolean lostConnection, URI nextUrl, Duration delay, int attempt) {
    return String.format(
        Locale.ROOT,
        "%s; %s%s in %.1f s (attempt %d)",
        happened,
        lostConnection ? "reconnecting" : "retrying",
        nextUrl == null ? "" : " to " + nextUrl,
        delay.toMillis() / 1000.0,
        attempt);
  }

  private static String lowerFirst(String text) {
    if (text == null || text.isEmpty()) {
      return "no reason given";
    }
    return text.length() > 1 && Character.isUpperCase(text.charAt(1))
        ? text // an acronym: "SSL ..."
        : Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }
}
