package io.cmws.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.java_websocket.WrappedByteChannel;

/**
 * One connection's frames on their way to the socket, in order, bounded in frames and bytes. The
 * selector thread writes them straight from here, many per system call. When full, events (never
 * replies) may be dropped oldest first. The frame at the head may be partly written. Any thread:
 * every change, and every write to the socket, happens under this object's lock.
 */
final class Outbox {
  private static final int MAX_GATHER = 64;
  private static final long MAX_GATHER_BYTES = 256 * 1024;

  private final OutboxLimits limits;

  /** Small at first: most connections hold a frame or two at a time, if any. */
  private final ArrayDeque<Entry> waiting = new ArrayDeque<>(4);

  /** Per writing thread, not per connection: an idle connection should cost little. */
  private static final ThreadLocal<ByteBuffer[]> GATHER =
      ThreadLocal.withInitial(() -> new ByteBuffer[MAX_GATHER]);

  private long bytes;

  private record Entry(ByteBuffer frame, boolean droppable) {}

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

  /** Offers a frame; {@code dropped[0]} receives the number of events dropped to make room. */
  synchronized Offer offer(ByteBuffer frame, boolean droppable, int[] dropped) {
    int size = frame.remaining();
    while (!waiting.isEmpty()
        && (waiting.size() + 1 > limits.maxFrames() || bytes + size > limits.maxBytes())) {
      if (limits.policy() != SlowConsumerPolicy.DROP_OLDEST || !dropOldestEvent()) {
        return Offer.OVERFLOW;
      }
      dropped[0]++;
    }
    boolean first = waiting.isEmpty();
    waiting.addLast(new Entry(frame, droppable));
    bytes += size;
    return first ? Offer.FIRST : Offer.QUEUED;
  }

  /** Writes what waits: gathering on a plain socket, frame by frame through TLS. */
  boolean flushTo(ByteChannel channel) throws IOException {
    return channel instanceof GatheringByteChannel gathering
        ? writeTo(gathering)
        : writeEach(channel);
  }

  /**
   * Writes what waits, unless {@code busy} says another writer's frame is pending (checked under
   * the lock, so no frame of its can start meanwhile); true if everything went out.
   */
  synchronized boolean writeNowUnless(BooleanSupplier busy, GatheringByteChannel channel)
      throws IOException {
    if (waiting.isEmpty()) {
      return true;
    }
    return !busy.getAsBoolean() && writeTo(channel);
  }

  /** Writes as much as the socket takes, in one gathering write; true if everything went out. */
  synchronized boolean writeTo(GatheringByteChannel channel) throws IOException {
    ByteBuffer[] gather = null;
    while (!waiting.isEmpty()) {
      if (waiting.size() == 1) {
        return writeLast(channel); // the usual case at ordinary loads: no gather array needed
      }
      if (gather == null) {
        gather = GATHER.get();
      }
      int count = 0;
      long batch = 0;
      for (Iterator<Entry> it = waiting.iterator();
          it.hasNext() && count < MAX_GATHER && batch < MAX_GATHER_BYTES; ) {
        ByteBuffer frame = it.next().frame();
        gather[count++] = frame;
        batch += frame.remaining();
      }
      long written = channel.write(gather, 0, count);
      bytes -= written;
      Arrays.fill(gather, 0, count, null);
      while (!waiting.isEmpty() && !waiting.peekFirst().frame().hasRemaining()) {
        waiting.pollFirst();
      }
      if (written < batch) {
        return false; // the socket is full; the selector calls again when it drains
      }
    }
    return true;
  }

  private boolean writeLast(GatheringByteChannel channel) throws IOException {
    ByteBuffer frame = waiting.peekFirst().frame();
    bytes -= channel.write(frame);
    if (frame.hasRemaining()) {
      return false;
    }
    waiting.pollFirst();
    return true;
  }

  /**
   * Writes frame after frame through a channel that cannot gather (TLS), until one does not go out
   * whole or the channel holds bytes of its own back; true if everything went out.
   */
  synchronized boolean writeEach(ByteChannel channel) throws IOException {
    while (!waiting.isEmpty()) {
      ByteBuffer frame = waiting.peekFirst().frame();
      int before = frame.remaining();
      channel.write(frame);
      bytes -= before - frame.remaining();
      if (frame.hasRemaining()) {
        return false;
      }
      waiting.pollFirst();
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
    Entry head = waiting.peekFirst();
    if (head != null && head.frame().position() > 0) {
      int before = head.frame().remaining();
      channel.write(
          head.frame()); // counts encrypted bytes under TLS: measure what was taken instead
      bytes -= before - head.frame().remaining();
      if (head.frame().hasRemaining()) {
        return 0;
      }
      waiting.pollFirst();
    }
    return channel.write(frame);
  }

  /** Hands everything to {@code queue}, e.g. ahead of a close frame the library queues. */
  synchronized void moveTo(Consumer<ByteBuffer> queue) {
    for (Entry entry : waiting) {
      queue.accept(entry.frame());
    }
    waiting.clear();
    bytes = 0;
  }

  synchronized boolean isEmpty() {
    return waiting.isEmpty();
  }

  synchronized void clear() {
    waiting.clear();
    bytes = 0;
  }

  /** Drops the oldest event not yet started on the wire (the head may be half written). */
  private boolean dropOldestEvent() {
    Iterator<Entry> it = waiting.iterator();
    if (it.hasNext()) {
      Entry head = it.next();
      if (head.droppable() && head.frame().position() == 0) {
        it.remove();
        bytes -= head.frame().remaining();
        return true;
      }
    }
    while (it.hasNext()) {
      Entry entry = it.next();
      if (entry.droppable()) {
        it.remove();
        bytes -= entry.frame().remaining();
        return true;
      }
    }
    return false;
  }
}
