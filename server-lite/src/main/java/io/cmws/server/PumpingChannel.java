package io.cmws.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLException;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WrappedByteChannel;

/**
 * The socket as Java-WebSocket sees it. The library writes its own frames (handshake, pongs,
 * close) from its out-queue; ours wait in the connection's {@link Outbox}, which this channel
 * reports as "more to write", so the selector thread flushes it here with gathering writes: no
 * per-frame queue handoff, no per-frame system call. The library's frames and ours are written
 * under the outbox lock, so a frame of ours that went out partly is finished first.
 */
final class PumpingChannel implements WrappedByteChannel {
  private final SocketChannel channel;
  private final SelectionKey key;

  PumpingChannel(SocketChannel channel, SelectionKey key) {
    this.channel = channel;
    this.key = key;
  }

  private WsFrameSink sink() {
    return key.attachment() instanceof WebSocketImpl socket && socket.getAttachment() instanceof WsPeer peer
        ? peer.sink() : null;
  }

  /** The library's own buffers; after its last one, ours follow in the same round. */
  @Override
  public int write(ByteBuffer source) throws IOException {
    WsFrameSink sink = sink();
    int written = sink == null ? channel.write(source) : sink.writeLibraryFrame(source, channel);
    if (!source.hasRemaining() && key.attachment() instanceof WebSocketImpl socket && socket.outQueue.size() <= 1) {
      writeMore();
    }
    return written;
  }

  @Override
  public boolean isNeedWrite() {
    WsFrameSink sink = sink();
    return sink != null && sink.hasWaiting();
  }

  @Override
  public void writeMore() throws IOException {
    WsFrameSink sink = sink();
    if (sink != null) {
      sink.flush(channel);
    }
  }

  @Override
  public boolean isNeedRead() {
    return false;
  }

  @Override
  public int readMore(ByteBuffer destination) throws SSLException {
    return 0;
  }

  @Override
  public boolean isBlocking() {
    return false;
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
