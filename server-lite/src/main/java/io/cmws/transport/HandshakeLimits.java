package io.cmws.transport;

import java.time.Duration;

/**
 * Connections that have not finished their WebSocket handshake: closed after {@code timeout}, and
 * at most {@code maxPerAddress} at once from one remote address (loopback exempt unless the hub
 * limits loopback too). Without these, half-sent upgrade requests hold file descriptors forever.
 */
public record HandshakeLimits(Duration timeout, int maxPerAddress) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_PER_ADDRESS = 64;

  public HandshakeLimits {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("handshake timeout must be positive, got " + timeout);
    }
    if (maxPerAddress < 1) {
      throw new IllegalArgumentException(
          "max handshakes per address must be at least 1, got " + maxPerAddress);
    }
  }

  public static HandshakeLimits standard() {
    return new HandshakeLimits(DEFAULT_TIMEOUT, DEFAULT_MAX_PER_ADDRESS);
  }
}
