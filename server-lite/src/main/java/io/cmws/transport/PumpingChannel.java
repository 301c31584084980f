package io.cmws.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WrappedByteChannel;
import org.java_websocket.framing.CloseFrame;

/**
 * The socket as Java-WebSocket sees it. The library writes its own frames (handshake, pongs, close)
 * from its out-queue; ours wait in the connection's {@link Outbox}, which this channel reports as
 * "more to write", so the selector thread flushes it here (with gathering writes on a plain
 * socket): no per-frame queue handoff, no per-frame system call. The library's frames and ours are
 * written under the outbox lock, so a frame of ours that went out partly is finished first. Under
 * TLS the transport is the library's TLS channel, whose own pending bytes go first.
 */
final class PumpingChannel implements WrappedByteChannel {
  private final ByteChannel transport;

  /** The TLS layer, or null on a plain socket. */
  private final WrappedByteChannel tls;

  private final SelectionKey key;

  /** Whether the library's own frames wait: ours must not overtake them. */
  private final Outbox.LibraryFrames libraryFrames;

  /** Closes a plain socket gracefully; null under TLS, whose channel closes the socket itself. */
  private final SocketLingerer lingerer;

  /** Until the WebSocket handshake ends; see {@link HandshakeTracker}. */
  private final HandshakeTracker.Handshake handshake;

  private volatile boolean opened;
  private volatile Outbox outbox;
  private volatile boolean closed;

  /** An HTTP refusal of ours that replaces the library's (which always says 404); null if none. */
  private ByteBuffer refusal;

  private boolean refusalStarted;

  /** Set once the refusal is being written: keeps the hot path free of the lock. */
  private volatile boolean refusing;

  PumpingChannel(
      ByteChannel transport,
      SelectionKey key,
      SocketLingerer lingerer,
      HandshakeTracker.Handshake handshake) {
    this.transport = transport;
    this.tls = transport instanceof WrappedByteChannel wrapped ? wrapped : null;
    this.key = key;
    this.libraryFrames = () -> LibrarySocket.hasOwnFrames(key);
    this.lingerer = tls == null && transport instanceof SocketChannel ? lingerer : null;
    this.handshake = handshake;
  }

  /** The WebSocket handshake succeeded. */
  void opened() {
    opened = true;
    handshake.ended();
  }

  /**
   * The handshake is being refused with {@code status} (e.g. {@code 403 Forbidden}): the error
   * response the library writes next is replaced by this one, and the connection is closed after it
   * (the library itself would leave it open until the client goes). Runs on the worker thread that
   * read the request, before the library queues its response for the selector thread.
   */
  void refuseHandshake(String status, String why) {
    String body = why + "\n";
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + bodyBytes.length
            + "\r\nConnection: close\r\n\r\n";
    ByteBuffer response = ByteBuffer.allocate(head.length() + bodyBytes.length);
    response.put(head.getBytes(StandardCharsets.US_ASCII)).put(bodyBytes).flip();
    synchronized (this) {
      refusal = response;
    }
  }

  /**
   * Writes our refusal in place of the library's response; the library's bytes count as written.
   */
  private synchronized int writeRefusal(ByteBuffer libraryResponse) throws IOException {
    int consumed = libraryResponse.remaining();
    libraryResponse.position(libraryResponse.limit());
    refusalStarted = true;
    refusing = true;
    writeRestOfRefusal();
    return consumed;
  }

  private synchronized boolean refusalPending() {
    return refusalStarted && refusal.hasRemaining();
  }

  /**
   * On the selector thread; once the refusal is out, the connection is closed (gracefully, see
   * close).
   */
  private synchronized void writeRestOfRefusal() throws IOException {
    transport.write(refusal);
    if (!refusal.hasRemaining() && key.attachment() instanceof WebSocketImpl socket) {
      socket.closeConnection(CloseFrame.POLICY_VALIDATION, "handshake refused");
    }
  }

  /** From the handshake on, our frames wait here; before it, only the library writes. */
  void attach(Outbox frames) {
    this.outbox = frames;
  }

  /**
   * Writes our waiting frames now, on the calling thread, if nothing stands in the way: a plain,
   * open socket with none of the library's frames pending. True if everything went out; otherwise
   * the selector thread has to write the rest.
   */
  boolean writeNow() throws IOException {
    Outbox frames = outbox;
    if (tls != null || !opened || closed || frames == null) {
      return false;
    }
    return frames.writeNowUnless(libraryFrames, (SocketChannel) transport);
  }

  /** The library's own buffers; after its last one, ours follow in the same round. */
  @Override
  public int write(ByteBuffer source) throws IOException {
    if (!opened && refusalReplaces(source)) {
      return writeRefusal(source);
    }
    Outbox frames = outbox;
    int written =
        frames == null ? transport.write(source) : frames.writeLibraryFrame(source, transport);
    if (!source.hasRemaining() && LibrarySocket.writingLastLibraryFrame(key)) {
      writeMore();
    }
    return written;
  }

  private synchronized boolean refusalReplaces(ByteBuffer source) {
    return refusal != null
        && !refusalStarted
        && source.remaining() > 5
        && source.get(source.position()) == 'H';
  }

  @Override
  public boolean isNeedWrite() {
    if (refusing && refusalPending()) {
      return true;
    }
    if (tls != null && tls.isNeedWrite()) {
      return true;
    }
    Outbox frames = outbox;
    return frames != null && !frames.isEmpty();
  }

  @Override
  public void writeMore() throws IOException {
    if (refusing && refusalPending()) {
      writeRestOfRefusal();
      return;
    }
    if (tls != null && tls.isNeedWrite()) {
      // not tls.writeMore(): the library's version encrypts its pending ciphertext a second time;
      // an empty write sends what is pending (and drives the handshake)
      transport.write(ByteBuffer.allocate(0));
      if (tls.isNeedWrite()) {
        return; // encrypted bytes still wait for the socket
      }
    }
    Outbox frames = outbox;
    if (frames != null) {
      frames.flushTo(transport);
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
    handshake.ended();
    if (lingerer != null
        && (opened || refusing)) { // a close frame or a refusal must not be lost to a reset
      lingerer.close((SocketChannel) transport);
    } else {
      transport.close();
    }
  }
}
