package io.cmws.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;

/**
 * One connection's frames waiting in front of Java-WebSocket's unbounded out-queue, which is kept
 * short ({@link #WIRE_LOW_WATER} frames): frames move on as the selector thread writes. Bounded in
 * frames and bytes; when full, events (never replies) may be dropped oldest first. Frames keep
 * their order. Thread-safe: publishers offer, the selector thread and the sweeper transfer.
 */
final class Outbox {
  static final int WIRE_LOW_WATER = 32;

  private final OutboxLimits limits;
  private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
  private long bytes;

  private record Entry(ByteBuffer frame, boolean droppable) {}

  /** What {@link #offer} did. */
  enum Offer {
    /** Went straight to the wire queue: the caller asks for a write. */
    WIRE,
    /** Waits here. */
    QUEUED,
    /** Full, and the policy (or the frame) forbids dropping: the connection must go. */
    OVERFLOW
  }

  Outbox(OutboxLimits limits) {
    this.limits = limits;
  }

  /** Offers a frame; {@code dropped[0]} receives the number of events dropped to make room. */
  synchronized Offer offer(ByteBuffer frame, boolean droppable, Queue<ByteBuffer> wire, int[] dropped) {
    if (waiting.isEmpty() && wire.size() < WIRE_LOW_WATER) {
      wire.add(frame);
      return Offer.WIRE;
    }
    int size = frame.remaining();
    while (waiting.size() + 1 > limits.maxFrames() || bytes + size > limits.maxBytes()) {
      if (limits.policy() != SlowConsumerPolicy.DROP_OLDEST || !dropOldestEvent()) {
        return Offer.OVERFLOW;
      }
      dropped[0]++;
    }
    waiting.addLast(new Entry(frame, droppable));
    bytes += size;
    return Offer.QUEUED;
  }

  /** Moves waiting frames to the wire queue while it is short; returns how many moved. */
  synchronized int transfer(Queue<ByteBuffer> wire) {
    int moved = 0;
    while (!waiting.isEmpty() && wire.size() < WIRE_LOW_WATER) {
      Entry entry = waiting.pollFirst();
      bytes -= entry.frame().remaining();
      wire.add(entry.frame());
      moved++;
    }
    return moved;
  }

  synchronized boolean isEmpty() {
    return waiting.isEmpty();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized void clear() {
    waiting.clear();
    bytes = 0;
  }

  private boolean dropOldestEvent() {
    for (Iterator<Entry> it = waiting.iterator(); it.hasNext(); ) {
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
