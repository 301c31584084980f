package io.cmws.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;
import org.java_websocket.WrappedByteChannel;

/**
 * One connection's frames on their way to the socket, in order, bounded in frames and bytes. Frames
 * are never changed here: an event is the read-only frame every subscriber shares, a reply a buffer
 * of its own, and only the head's progress is this connection's ({@link #headWritten}). So queuing
 * a frame allocates nothing. When full, events (never replies) may be dropped oldest first. Any
 * thread: every change, and every write to the socket, happens under this object's lock.
 */
final class Outbox {
  private final OutboxLimits limits;

  /** Small at first: most connections hold a frame or two at a time, if any. */
  private final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>(4);

  /** Bytes of the head frame already written. */
  private int headWritten;

  /** Bytes not yet written. */
  private long bytes;

  /** Events dropped to make room since the last {@link #takeDropped}. */
  private int dropped;

  /** What {@link #offer} did. */
  enum Offer {
    /** Queued behind others: a write is already on its way. */
    QUEUED,
    /** Queued, and the outbox was empty: the caller asks for a write. */
    FIRST,
    /** Full, and the policy (or the frame) forbids dropping: the connection must go. */
    OVERFLOW
  }

  Outbox(OutboxLimits limits) {
    this.limits = limits;
  }

  /** An event: a shared frame, which may be dropped when the outbox is full; replies may not. */
  private static boolean droppable(ByteBuffer frame) {
    return frame.isReadOnly();
  }

  /** Offers a frame: read-only for an event (droppable), writable for a reply. */
  synchronized Offer offer(ByteBuffer frame) {
    int size = frame.remaining();
    while (!waiting.isEmpty()
        && (waiting.size() + 1 > limits.maxFrames() || bytes + size > limits.maxBytes())) {
      if (limits.policy() != SlowConsumerPolicy.DROP_OLDEST || !dropOldestEvent()) {
        return Offer.OVERFLOW;
      }
      dropped++;
    }
    boolean first = waiting.isEmpty();
    waiting.addLast(frame);
    bytes += size;
    return first ? Offer.FIRST : Offer.QUEUED;
  }

  /** Events dropped to make room since the last call. */
  synchronized int takeDropped() {
    int count = dropped;
    dropped = 0;
    return count;
  }

  /** Writes what waits: through a direct buffer on a plain socket, frame by frame through TLS. */
  boolean flushTo(ByteChannel channel) throws IOException {
    return channel instanceof GatheringByteChannel plain ? writeTo(plain) : writeEach(channel);
  }

  /**
   * Writes what waits unless the library's own frames are pending (checked under the lock, so no
   * frame of ours can start meanwhile); true if everything went out.
   */
  synchronized boolean writeNowUnless(LibraryFrames library, WritableByteChannel channel)
      throws IOException {
    if (waiting.isEmpty()) {
      return true;
    }
    return !library.pending() && writeTo(channel);
  }

  /** Whether the library has frames of its own to write first. */
  @FunctionalInterface
  interface LibraryFrames {
    boolean pending();
  }

  /**
   * Writes as much as the socket takes, a direct buffer's worth per system call; true if everything
   * went out.
   */
  synchronized boolean writeTo(WritableByteChannel channel) throws IOException {
    WriteBuffer buffer = WriteBuffer.forThisThread();
    while (!waiting.isEmpty()) {
      ByteBuffer direct;
      ByteBuffer head = waiting.peekFirst();
      if (waiting.size() == 1 && headWritten == 0 && head.remaining() <= WriteBuffer.CAPACITY) {
        direct = buffer.holding(head); // an event to many idle sockets: copied once
      } else {
        direct = buffer.cleared();
        int offset = headWritten;
        for (Iterator<ByteBuffer> it = waiting.iterator();
            it.hasNext() && direct.hasRemaining(); ) {
          buffer.append(it.next(), offset);
          offset = 0;
        }
        direct.flip();
      }
      int batch = direct.remaining();
      int written = channel.write(direct);
      consume(written);
      if (written < batch) {
        return false; // the socket is full; the selector calls again when it drains
      }
    }
    return true;
  }

  /**
   * Writes frame after frame through a channel that cannot take a direct buffer's worth (TLS),
   * until one does not go out whole or the channel holds bytes of its own back; true if everything
   * went out.
   */
  synchronized boolean writeEach(ByteChannel channel) throws IOException {
    while (!waiting.isEmpty()) {
      ByteBuffer rest = restOfHead();
      int before = rest.remaining();
      channel.write(rest);
      consume(before - rest.remaining());
      if (rest.hasRemaining()) {
        return false;
      }
      if (channel instanceof WrappedByteChannel wrapped && wrapped.isNeedWrite()) {
        return false; // encrypted bytes wait for the socket; the selector calls again
      }
    }
    return true;
  }

  /**
   * Writes one of the library's own frames (pong, close), after the rest of a frame of ours that
   * went out only partly: frames never interleave on the wire.
   */
  synchronized int writeLibraryFrame(ByteBuffer frame, ByteChannel channel) throws IOException {
    if (headWritten > 0) {
      ByteBuffer rest = restOfHead();
      int before = rest.remaining();
      channel.write(rest); // counts encrypted bytes under TLS: measure what was taken instead
      consume(before - rest.remaining());
      if (headWritten > 0) {
        return 0;
      }
    }
    return channel.write(frame);
  }

  /** Hands everything to {@code queue}, e.g. ahead of a close frame the library queues. */
  synchronized void moveTo(Consumer<ByteBuffer> queue) {
    if (!waiting.isEmpty()) {
      queue.accept(restOfHead());
      waiting.pollFirst();
    }
    for (ByteBuffer frame : waiting) {
      queue.accept(frame.duplicate()); // the library moves its position; the frame is shared
    }
    clear();
  }

  synchronized boolean isEmpty() {
    return waiting.isEmpty();
  }

  synchronized void clear() {
    waiting.clear();
    headWritten = 0;
    bytes = 0;
  }

  /** What is left of the head frame, as a view of its own. */
  private ByteBuffer restOfHead() {
    ByteBuffer head = waiting.peekFirst();
    ByteBuffer rest = head.duplicate();
    rest.position(head.position() + headWritten);
    return rest;
  }

  /** Counts {@code written} bytes as gone, from the head on; a finished head leaves. */
  private void consume(long written) {
    bytes -= written;
    long left = written;
    while (!waiting.isEmpty()) {
      ByteBuffer head = waiting.peekFirst();
      int rest = head.remaining() - headWritten;
      if (left < rest) {
        headWritten += (int) left;
        return;
      }
      left -= rest; // an empty frame leaves here too, so no write loop can spin on it
      waiting.pollFirst();
      headWritten = 0;
    }
  }

  /** Drops the oldest event not yet started on the wire (the head may be half written). */
  private boolean dropOldestEvent() {
    Iterator<ByteBuffer> it = waiting.iterator();
    boolean head = true;
    while (it.hasNext()) {
      ByteBuffer frame = it.next();
      if (droppable(frame) && !(head && headWritten > 0)) {
        it.remove();
        bytes -= frame.remaining();
        return true;
      }
      head = false;
    }
    return false;
  }
}
