package io.cmws.transport;

import io.cmws.hub.Hub;
import io.cmws.protocol.CloseCodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub's WebSocket endpoint: Java-WebSocket underneath, with the hub's write path, handshake
 * limits and graceful closes. {@link #start} returns once it listens; {@link #close} stops it.
 */
public final class WsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WsEndpoint.class);
  private static final long START_TIMEOUT_SECONDS = 10;
  private static final int CLOSE_GRACE_MILLIS = 2000;

  /**
   * Bounds how long a frame can be stuck by Java-WebSocket's write race; see WriteDemandSweeper.
   */
  private static final long SWEEP_MILLIS = 5;

  /** Where and how to listen; {@code tls} null for plain {@code ws://}. */
  public record Settings(
      InetSocketAddress address,
      String path,
      int maxFrameBytes,
      OutboxLimits outbox,
      SSLContext tls,
      HandshakeLimits handshakes,
      boolean limitLoopback) {}

  private final WsTransport transport;

  private WsEndpoint(WsTransport transport) {
    this.transport = transport;
  }

  /** Listens for {@code hub}; its sweeps run on {@code timers}, which the caller owns. */
  public static WsEndpoint start(Settings settings, Hub hub, ScheduledExecutorService timers)
      throws IOException {
    HandshakeTracker handshakes =
        new HandshakeTracker(
            settings.handshakes(), settings.limitLoopback(), hub.metrics(), System::nanoTime);
    WsTransport transport = new WsTransport(settings, hub, handshakes);
    transport.start();
    try {
      transport.started().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      stop(transport);
      throw new IOException(
          "cannot listen on " + settings.address() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      stop(transport);
      throw new IOException(
          "WebSocket server did not start within " + START_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      stop(transport);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting", e);
    }
    timers.scheduleWithFixedDelay(
        guarded("write sweep", transport.sweeper()::sweep),
        SWEEP_MILLIS,
        SWEEP_MILLIS,
        TimeUnit.MILLISECONDS);
    long handshakeSweep =
        Math.max(50, Math.min(1000, settings.handshakes().timeout().toMillis() / 4));
    timers.scheduleWithFixedDelay(
        guarded("closing overdue handshakes", handshakes::closeOverdue),
        handshakeSweep,
        handshakeSweep,
        TimeUnit.MILLISECONDS);
    return new WsEndpoint(transport);
  }

  /** A failed sweep is logged and tried again next time: a timer task that throws is cancelled. */
  private static Runnable guarded(String what, Runnable sweep) {
    return () -> {
      try {
        sweep.run();
      } catch (RuntimeException e) {
        LOG.error("{} failed", what, e);
      }
    };
  }

  public int port() {
    return transport.getPort();
  }

  /** Stops listening and closes what is still open with 1001. */
  @Override
  public void close() {
    stop(transport);
  }

  private static void stop(WsTransport transport) {
    try {
      transport.stop(CLOSE_GRACE_MILLIS, CloseCodes.SHUTTING_DOWN_REASON);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
