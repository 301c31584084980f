package io.cmws.hub;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which web pages and which {@code Host} names a hub answers: its defence against hostile pages
 * (cross-site WebSocket hijacking) and DNS rebinding on a developer's machine. Immutable.
 *
 * <ul>
 *   <li>A handshake's {@code Origin} must be a loopback origin ({@code http}/{@code https} on
 *       {@code localhost}, {@code 127.0.0.0/8} or {@code [::1]}, any port) or listed in {@code
 *       allowedOrigins}; {@code "*"} there lets any origin in. Clients that send no {@code Origin}
 *       (tools, workers) are not browsers and are not judged here.
 *   <li>While the hub listens on a loopback address, a request's {@code Host} must name a loopback
 *       host or one in {@code allowedHosts}: a rebound name (evil.example resolving to 127.0.0.1)
 *       is refused. On other addresses only {@code allowedHosts} (and loopback names), when given,
 *       are served.
 * </ul>
 */
public record BrowserGuard(
    List<String> allowedOrigins, List<String> allowedHosts, boolean loopbackListener) {
  public static final String ANY_ORIGIN = "*";

  public BrowserGuard {
    allowedOrigins = allowedOrigins.stream().map(BrowserGuard::normalizeOrigin).toList();
    allowedHosts =
        allowedHosts.stream()
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .toList();
  }

  /** Loopback pages and names only: the default of a hub on a developer's machine. */
  public static BrowserGuard loopbackOnly() {
    return new BrowserGuard(List.of(), List.of(), true);
  }

  /** The same lists for a hub listening on {@code loopback} or not. */
  public BrowserGuard listeningOnLoopback(boolean loopback) {
    return new BrowserGuard(allowedOrigins, allowedHosts, loopback);
  }

  /** Whether a WebSocket handshake carrying this {@code Origin} header (null: none) may proceed. */
  public boolean allowsOrigin(String origin) {
    if (origin == null || allowedOrigins.contains(ANY_ORIGIN)) {
      return true;
    }
    String normalized = normalizeOrigin(origin);
    return allowedOrigins.contains(normalized) || isLoopbackOrigin(normalized);
  }

  /**
   * Whether a request carrying this {@code Host} header (null: none, as HTTP/1.0 allows) is
   * answered.
   */
  public boolean allowsHost(String hostHeader) {
    if (hostHeader == null) {
      return true; // a browser always sends Host: a request without one comes from a tool
    }
    String header = hostHeader.trim().toLowerCase(Locale.ROOT);
    String host = hostPart(header);
    if (allowedHosts.contains(header) || allowedHosts.contains(host)) {
      return true;
    }
    // a page cannot make a browser send a loopback name unless it is itself served from loopback
    return isLoopbackHost(host) || !loopbackListener && allowedHosts.isEmpty();
  }

  /** {@code localhost}, {@code 127.x.x.x} or {@code ::1} (brackets stripped or not). */
  static boolean isLoopbackHost(String host) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    if (name.equalsIgnoreCase("localhost")
        || name.equals("::1")
        || name.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] parts = name.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || !isAsciiDigits(part)
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isLoopbackOrigin(String origin) {
    try {
      URI uri = new URI(origin);
      String scheme = Objects.requireNonNullElse(uri.getScheme(), "");
      return (scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && isLoopbackHost(uri.getHost());
    } catch (URISyntaxException e) {
      return false; //
    }
  }

  /** The host of a {@code Host} header: without the port, IPv6 in brackets. */
  private static String hostPart(String header) {
    if (header.startsWith("[")) {
      int end = header.indexOf(']');
      return end < 0 ? header : header.substring(0, end + 1);
    }
    int colon = header.lastIndexOf(':');
    return colon < 0 ? header : header.substring(0, colon);
  }

  private static String normalizeOrigin(String origin) {
    String trimmed = origin.trim().toLowerCase(Locale.ROOT);
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}
