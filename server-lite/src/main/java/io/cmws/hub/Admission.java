package io.cmws.hub;

import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.ServerFrame;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may come in and what one client may take of the hub: pages by origin and requests by Host
 * name (see {@link BrowserGuard}), connections in total and per address, and the message rate.
 * Loopback tools are exempt from the per-address and rate limits unless the limits say otherwise.
 * Thread-safe; called on transport threads.
 */
final class Admission {
  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

  private final Limits limits;
  private final BrowserGuard browsers;
  private final ConnectionRegistry registry;
  private final HubMetrics metrics;
  private final LongSupplier nanoTime;

  Admission(
      Limits limits,
      BrowserGuard browsers,
      ConnectionRegistry registry,
      HubMetrics metrics,
      LongSupplier nanoTime) {
    this.limits = limits;
    this.browsers = browsers;
    this.registry = registry;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /** Whether a handshake from a page of {@code origin} may proceed; refusals are counted. */
  boolean allowsOrigin(String origin) {
    return counted(browsers.allowsOrigin(origin), "origin");
  }

  /** Whether a request naming {@code host} is answered; refusals are counted. */
  boolean allowsHost(String host) {
    return counted(browsers.allowsHost(host), "host");
  }

  private boolean counted(boolean allowed, String limit) {
    if (!allowed) {
      metrics.limitRejected(limit);
    }
    return allowed;
  }

  /** Whether a just registered connection may stay; if not, it is closed with 1013. */
  boolean admit(Connection connection) {
    if (registry.size() > limits.maxConnections()) {
      return refuse(
          connection,
          "connections",
          "the hub is at its limit of " + limits.maxConnections() + " connections");
    }
    if (limits.appliesTo(connection.peer())) {
      if (registry.countFrom(connection.peer().host()) > limits.maxConnectionsPerAddress()) {
        return refuse(
            connection,
            "connections_per_address",
            "at most " + limits.maxConnectionsPerAddress() + " connections from one address");
      }
      connection.limiter(
          new RateLimiter(limits.messagesPerSecond(), limits.burst(), nanoTime.getAsLong()));
    }
    return true;
  }

  private boolean refuse(Connection connection, String limit, String why) {
    metrics.limitRejected(limit);
    LOG.debug("refused {}: {}", connection.peer().address(), why);
    connection.close(CloseCodes.TRY_AGAIN_LATER, why);
    return false;
  }

  /** Applies the connection's rate limit; false drops the frame (with an error once a second). */
  boolean withinRate(Connection connection) {
    RateLimiter limiter = connection.limiter();
    if (limiter == null) {
      return true;
    }
    int perSecond = limits.messagesPerSecond();
    switch (limiter.next(nanoTime.getAsLong())) {
      case TAKE:
        return true;
      case REFUSE_AND_TELL:
        metrics.limitRejected("rate");
        connection.send(
            new ServerFrame.Error(
                "More than " + perSecond + " messages a second: dropped; slow down",
                ErrorCode.RATE_LIMITED.wireName(),
                null,
                null,
                null));
        return false;
      case REFUSE:
        metrics.limitRejected("rate");
        return false;
      default:
        metrics.limitRejected("flood");
        connection.close(CloseCodes.POLICY, "message flood: far beyond " + perSecond + "/s");
        return false;
    }
  }
}
