package io.cmws.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes plain sockets the way RFC 6455 §7.1.1 asks of a server: send FIN after the close frame,
 * then read and discard until the client closes too (or a grace period ends). Closing at once with
 * the client's bytes still unread makes the kernel send RST, and a client that is still sending (a
 * flooder, say) then loses the close frame and sees 1006 instead of the hub's code. One thread and
 * one selector serve every lingering socket.
 */
final class SocketLingerer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SocketLingerer.class);
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** Beyond this many at once (a mass disconnect), sockets are simply closed. */
  private static final int MAX_LINGERING = 10_000;

  private final Selector selector;
  private final Queue<SocketChannel> arriving = new ConcurrentLinkedQueue<>();
  private final Map<SocketChannel, Long> deadlines = new ConcurrentHashMap<>();
  private final ByteBuffer discard = ByteBuffer.allocateDirect(16 * 1024);
  private final Thread thread;
  private volatile boolean closed;

  private SocketLingerer(Selector selector) {
    this.selector = selector;
    this.thread = new Thread(this::run, "cmws-close-linger");
    thread.setDaemon(true);
    thread.start();
  }

  static SocketLingerer open() {
    try {
      return new SocketLingerer(Selector.open());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
  }

  /** Half-closes {@code channel} now and closes it once the peer has closed its side. */
  void close(SocketChannel channel) {
    if (closed || deadlines.size() >= MAX_LINGERING || !channel.isOpen()) {
      closeQuietly(channel);
      return;
    }
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(channel); // already reset or gone
      return;
    }
    deadlines.put(channel, System.nanoTime() + GRACE_NANOS);
    arriving.add(channel);
    selector.wakeup();
  }

  private void run() {
    try {
      while (!closed) {
        selector.select(250);
        registerArrivals();
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
          SelectionKey key = ready.next();
          ready.remove();
          drain((SocketChannel) key.channel());
        }
        closeOverdue(System.nanoTime());
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        LOG.warn("Lingering close stopped; sockets are closed at once from now on", e);
        closed = true;
      }
    }
    deadlines.keySet().forEach(SocketLingerer::closeQuietly);
    deadlines.clear();
  }

  private void registerArrivals() {
    for (SocketChannel channel = arriving.poll(); channel != null; channel = arriving.poll()) {
      try {
        channel.register(selector, SelectionKey.OP_READ);
      } catch (IOException
          | RuntimeException e) { // closed meanwhile, or its old key not yet released
        forget(channel);
      }
    }
  }

  private void drain(SocketChannel channel) {
    try {
      int read;
      do {
        discard.clear();
        read = channel.read(discard);
      } while (read > 0);
      if (read < 0) {
        forget(channel); // the peer closed its side: done
      }
    } catch (IOException e) {
      forget(channel);
    }
  }

  private void closeOverdue(long now) {
    deadlines.forEach(
        (channel, deadline) -> {
          if (now - deadline > 0) {
            forget(channel);
          }
        });
  }

  private void forget(SocketChannel channel) {
    deadlines.remove(channel);
    closeQuietly(channel);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do for it
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(1));
      selector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // closing anyway
    }
    deadlines.keySet().forEach(SocketLingerer::closeQuietly); // any that came in while it stopped
  }
}
