package io.cmws.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WrappedByteChannel;

/**
 * The socket as Java-WebSocket sees it. The library writes its own frames (handshake, pongs,
 * close) from its out-queue; ours wait in the connection's {@link Outbox}, which this channel
 * reports as "more to write", so the selector thread flushes it here (with gathering writes on a
 * plain socket): no per-frame queue handoff, no per-frame system call. The library's frames and
 * ours are written under the outbox lock, so a frame of ours that went out partly is finished
 * first. Under TLS the transport is the library's TLS channel, whose own pending bytes go first.
 */
final class PumpingChannel implements WrappedByteChannel {
  private final ByteChannel transport;
  /** The TLS layer, or null on a plain socket. */
  private final WrappedByteChannel tls;
  private final SelectionKey key;
  /** Closes a plain socket gracefully; null under TLS, whose channel closes the socket itself. */
  private final SocketLingerer lingerer;
  private volatile boolean closed;

  PumpingChannel(ByteChannel transport, SelectionKey key, SocketLingerer lingerer) {
    this.transport = transport;
    this.tls = transport instanceof WrappedByteChannel wrapped ? wrapped : null;
    this.key = key;
    this.lingerer = tls == null && transport instanceof SocketChannel ? lingerer : null;
  }

  private WsFrameSink sink() {
    return key.attachment() instanceof WebSocketImpl socket && socket.getAttachment() instanceof WsPeer peer
        ? peer.sink() : null;
  }

  /** The library's own buffers; after its last one, ours follow in the same round. */
  @Override
  public int write(ByteBuffer source) throws IOException {
    WsFrameSink sink = sink();
    int written = sink == null ? transport.write(source) : sink.writeLibraryFrame(source, transport);
    if (!source.hasRemaining() && key.attachment() instanceof WebSocketImpl socket && socket.outQueue.size() <= 1) {
      writeMore();
    }
    return written;
  }

  @Override
  public boolean isNeedWrite() {
    if (tls != null && tls.isNeedWrite()) {
      return true;
    }
    WsFrameSink sink = sink();
    return sink != null && sink.hasWaiting();
  }

  @Override
  public void writeMore() throws IOException {
    if (tls != null && tls.isNeedWrite()) {
      // not tls.writeMore(): the library's version encrypts its pending ciphertext a second time;
      // an empty write sends what is pending (and drives the handshake)
      transport.write(ByteBuffer.allocate(0));
      if (tls.isNeedWrite()) {
        return; // encrypted bytes still wait for the socket
      }
    }
    WsFrameSink sink = sink();
    if (sink != null) {
      sink.flush(transport);
    }
  }

  @Override
  public boolean isNeedRead() {
    return tls != null && tls.isNeedRead();
  }

  @Override
  public int readMore(ByteBuffer destination) throws IOException {
    return tls == null ? 0 : tls.readMore(destination);
  }

  @Override
  public boolean isBlocking() {
    return tls != null && tls.isBlocking();
  }

  @Override
  public int read(ByteBuffer destination) throws IOException {
    return transport.read(destination);
  }

  @Override
  public boolean isOpen() {
    return !closed && transport.isOpen();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    if (lingerer != null) {
      lingerer.close((SocketChannel) transport);
    } else {
      transport.close();
    }
  }
}
