package io.cmws.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.java_websocket.WebSocketImpl;

/**
 * The socket as Java-WebSocket writes to it. Each time a frame has been written completely, the
 * connection's {@link Outbox} tops up the library's out-queue; this runs on the selector thread
 * inside its write loop, which then writes the new frames too.
 */
final class PumpingChannel implements ByteChannel {
  private final SocketChannel channel;
  private final SelectionKey key;

  PumpingChannel(SocketChannel channel, SelectionKey key) {
    this.channel = channel;
    this.key = key;
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    int written = channel.write(source);
    if (!source.hasRemaining() && key.attachment() instanceof WebSocketImpl socket
        && socket.getAttachment() instanceof WsPeer peer) {
      peer.sink().pump();
    }
    return written;
  }

  @Override
  public int read(ByteBuffer destination) throws IOException {
    return channel.read(destination);
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
