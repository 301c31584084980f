package io.cmws.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Many WebSocket client connections on one selector thread, for load generation: the bench holds
 * thousands of subscribers without a thread each. Minimal RFC 6455 client: text frames out
 * (masked), frames in (unmasked, possibly fragmented across reads), no extensions.
 */
final class WsLoop implements AutoCloseable {
  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  WsLoop(String name) throws IOException {
    this.selector = Selector.open();
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Opens a connection; {@code listener} is called on this loop's thread. */
  WsConnection connect(URI url, WsConnection.Listener listener) {
    WsConnection connection = new WsConnection(this, url, listener);
    execute(
        () -> {
          try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress(url.getHost(), url.getPort()));
            connection.attach(
                channel, channel.register(selector, SelectionKey.OP_CONNECT, connection));
          } catch (IOException e) {
            connection.failed(e);
          }
        });
    return connection;
  }

  /** Runs on the loop thread soon. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  private void run() {
    while (running) {
      try {
        selector.select(100);
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
          task.run();
        }
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          WsConnection connection = (WsConnection) key.attachment();
          try {
            if (!key.isValid()) {
              continue;
            }
            if (key.isConnectable()) {
              connection.finishConnect();
            }
            if (key.isValid() && key.isReadable()) {
              connection.read();
            }
            if (key.isValid() && key.isWritable()) {
              connection.flush();
            }
          } catch (IOException | RuntimeException e) {
            connection.failed(e);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(2000);
      selector.close();
    } catch (IOException e) {
      // closing anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
