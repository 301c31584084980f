package io.cmws.hub;

import io.cmws.protocol.EventMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel's sequence counter and its last {@code capacity} events, oldest first. Guarded by
 * its own monitor, which publishing holds while it takes the next seq, appends and fans out.
 */
final class ChannelLog {
  private final EventMessage[] ring;
  private long lastSeq;
  private int size;
  private int head; // index of the oldest kept event
  /** Timestamp of the newest event that fell out of the ring; MIN_VALUE if none did. */
  private long droppedUntil = Long.MIN_VALUE;

  /** What can be replayed, and whether it is everything that was asked for. */
  record Replay(List<EventMessage> events, boolean complete) {}

  ChannelLog(int capacity, long lastSeq) {
    this.ring = new EventMessage[Math.max(0, capacity)];
    this.lastSeq = lastSeq;
    if (lastSeq > 0) {
      droppedUntil = Long.MAX_VALUE; // restored without its events: anything may be missing
    }
  }

  long nextSeq() {
    return ++lastSeq;
  }

  long lastSeq() {
    return lastSeq;
  }

  void append(EventMessage event) {
    if (ring.length == 0) {
      droppedUntil = Math.max(droppedUntil, event.timestamp());
      return;
    }
    if (size < ring.length) {
      ring[(head + size) % ring.length] = event;
      size++;
    } else {
      droppedUntil = Math.max(droppedUntil, ring[head].timestamp());
      ring[head] = event;
      head = (head + 1) % ring.length;
    }
  }

  /**
   * Appends an event numbered elsewhere (by the shared bus). A seq beyond the next one means the
   * events between are gone: anything up to this event's time may be missing from a replay.
   */
  void appendNumbered(EventMessage event) {
    if (event.seq() > lastSeq + 1) {
      droppedUntil = Math.max(droppedUntil, event.timestamp());
    }
    append(event);
    lastSeq = event.seq();
  }

  /** Restores a kept event at startup; events come oldest first. */
  void restore(EventMessage event) {
    if (size == 0 && event.seq() > 1) {
      droppedUntil = Long.MAX_VALUE; // earlier events are gone, their times unknown
    }
    append(event);
    lastSeq = Math.max(lastSeq, event.seq());
  }

  /** Events after {@code seq}; complete unless some of them fell out of the ring. */
  Replay after(long seq) {
    List<EventMessage> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      EventMessage event = at(i);
      if (event.seq() > seq) {
        out.add(event);
      }
    }
    long oldest = size == 0 ? lastSeq + 1 : at(0).seq();
    return new Replay(out, seq >= lastSeq || seq + 1 >= oldest);
  }

  /** Events at or after {@code timestamp}; complete unless a dropped event may have been one of them. */
  Replay since(long timestamp) {
    List<EventMessage> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      EventMessage event = at(i);
      if (event.timestamp() >= timestamp) {
        out.add(event);
      }
    }
    return new Replay(out, droppedUntil < timestamp);
  }

  /** The last {@code n} events, oldest first; complete if there were that many or none was dropped. */
  Replay last(int n) {
    List<EventMessage> out = new ArrayList<>();
    for (int i = Math.max(0, size - n); i < size; i++) {
      out.add(at(i));
    }
    return new Replay(out, out.size() >= n || droppedUntil == Long.MIN_VALUE);
  }

  int kept() {
    return size;
  }

  /** Every kept event, oldest first (for persistence). */
  List<EventMessage> all() {
    return after(Long.MIN_VALUE).events();
  }

  private EventMessage at(int i) {
    return ring[(head + i) % ring.length];
  }
}
