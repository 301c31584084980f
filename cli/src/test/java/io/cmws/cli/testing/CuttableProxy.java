package io.cmws.cli.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a hub, whose link can be cut: {@link #cut(Duration)} closes
 * every relayed connection and refuses new ones for a while, as a network outage would; {@link
 * #cut(Duration, Duration)} first lets the link go silent, so what is in flight is lost, as it is
 * when a route goes away before either end notices.
 */
public final class CuttableProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile long refuseUntilNanos;
  private volatile long dropUntilNanos;
  private volatile boolean running = true;

  private CuttableProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Relays to the host and port of {@code hub}. */
  public static CuttableProxy to(URI hub) throws IOException {
    return new CuttableProxy(new InetSocketAddress(hub.getHost(), hub.getPort()));
  }

  /** {@code hub} with this relay's port instead of its own. */
  public URI via(URI hub) {
    return URI.create(
        hub.getScheme() + "://127.0.0.1:" + listener.getLocalPort() + hub.getRawPath());
  }

  /**
   * Discards everything relayed for {@code silence} (both ends believe they sent it), then drops
   * every relayed connection and refuses new ones for {@code outage}; returns at once.
   */
  public void cut(Duration silence, Duration outage) {
    dropUntilNanos = System.nanoTime() + silence.toNanos();
    refuseUntilNanos = dropUntilNanos + outage.toNanos();
    Thread cutter =
        new Thread(
            () -> {
              try {
                Thread.sleep(silence.toMillis()); // the simulated network's own time
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              cut(outage);
            },
            "proxy-cut");
    cutter.setDaemon(true);
    cutter.start();
  }

  /** Drops every relayed connection now, and refuses new ones for {@code outage}. */
  public void cut(Duration outage) {
    refuseUntilNanos = System.nanoTime() + outage.toNanos();
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  private void acceptLoop() {
    while (running) {
      try {
        Socket client = listener.accept();
        if (System.nanoTime() - refuseUntilNanos < 0) {
          closeQuietly(client);
          continue;
        }
        Socket server = new Socket(target.getAddress(), target.getPort());
        open.add(client);
        open.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                  if (System.nanoTime() - dropUntilNanos >= 0) {
                    out.write(buffer, 0, n);
                  }
                }
              } catch (IOException e) {
                // the other direction or a cut closed it
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    running = false;
    cut(Duration.ZERO);
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
