package io.cmws.hub;

import io.cmws.protocol.EventMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One channel's sequence counter and its last {@code capacity} events, oldest first, at most {@link
 * #MAX_BYTES} of them (so a few huge events cannot pin a gigabyte). Storage grows with use: a
 * channel published on once costs one event, not a full ring. Guarded by its own monitor, which
 * publishing holds while it takes the next seq, appends and fans out.
 */
final class ChannelLog {
  /** History kept per channel, in event data bytes, whatever the count allows. */
  static final long MAX_BYTES = 8L * 1024 * 1024;

  private final int capacity;
  private final ArrayDeque<EventMessage> kept = new ArrayDeque<>(4);
  private long bytes;
  private long lastSeq;

  /** Timestamp of the newest event that fell out; MIN_VALUE if none did. */
  private long droppedUntil = Long.MIN_VALUE;

  /** Seq ranges lost in crashes of the hub, oldest first; they never overlap. */
  private final List<LostRange> lost = new ArrayList<>(0);

  /**
   * What can be replayed, whether it is everything that was asked for, and which of the asked-for
   * seq numbers were lost in a crash of the hub.
   */
  record Replay(List<EventMessage> events, boolean complete, List<LostRange> lost) {
    Replay(List<EventMessage> events, boolean complete) {
      this(events, complete, List.of());
    }
  }

  ChannelLog(int capacity, long lastSeq) {
    this.capacity = Math.max(0, capacity);
    this.lastSeq = lastSeq;
    if (lastSeq > 0) {
      droppedUntil = Long.MAX_VALUE; // restored without its events: anything may be missing
    }
  }

  /**
   * A channel as the store kept it: its events (oldest first), its seq counter, and the ranges a
   * crash may have lost. Events missing between the kept ones are dropped (their times unknown)
   * unless a lost range accounts for them; lost events are older than the restart.
   */
  static ChannelLog restored(
      int capacity, long lastSeq, List<EventMessage> events, List<LostRange> lost) {
    ChannelLog log = new ChannelLog(capacity, 0);
    log.lost.addAll(lost);
    long expected = 1;
    for (EventMessage event : events) {
      if (event.seq() > expected && !log.lostCovers(expected, event.seq() - 1)) {
        log.droppedUntil = Long.MAX_VALUE;
      }
      log.append(event);
      expected = event.seq() + 1;
    }
    if (lastSeq >= expected && !log.lostCovers(expected, lastSeq)) {
      log.droppedUntil = Long.MAX_VALUE; // restored without these events
    }
    for (LostRange range : lost) {
      log.droppedUntil = Math.max(log.droppedUntil, range.atMillis());
    }
    log.lastSeq = Math.max(lastSeq, expected - 1);
    return log;
  }

  /** Whether lost ranges account for every seq in {@code from..to}. */
  private boolean lostCovers(long from, long to) {
    long next = from;
    for (LostRange range : lost) {
      if (range.from() <= next && range.to() >= next) {
        next = range.to() + 1;
      }
    }
    return next > to;
  }

  long nextSeq() {
    return ++lastSeq;
  }

  long lastSeq() {
    return lastSeq;
  }

  void append(EventMessage event) {
    if (capacity == 0) {
      droppedUntil = Math.max(droppedUntil, event.timestamp());
      return;
    }
    kept.addLast(event);
    bytes += size(event);
    while (kept.size() > capacity || (bytes > MAX_BYTES && kept.size() > 1)) {
      EventMessage oldest = kept.pollFirst();
      bytes -= size(oldest);
      droppedUntil = Math.max(droppedUntil, oldest.timestamp());
    }
  }

  private static long size(EventMessage event) {
    return event.dataJson().length() + event.channel().length() + 64L;
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

  /** Events after {@code seq}; complete unless some of them fell out. */
  Replay after(long seq) {
    List<EventMessage> out = new ArrayList<>();
    for (EventMessage event : kept) {
      if (event.seq() > seq) {
        out.add(event);
      }
    }
    long oldest = kept.isEmpty() ? lastSeq + 1 : kept.peekFirst().seq();
    List<LostRange> lostAfter = new ArrayList<>(0);
    for (LostRange range : lost) {
      LostRange part = range.after(seq);
      if (part != null) {
        lostAfter.add(part);
      }
    }
    return new Replay(
        out, lostAfter.isEmpty() && (seq >= lastSeq || seq + 1 >= oldest), List.copyOf(lostAfter));
  }

  /**
   * Events at or after {@code timestamp}; complete unless a dropped event may have been one of
   * them.
   */
  Replay since(long timestamp) {
    List<EventMessage> out = new ArrayList<>();
    for (EventMessage event : kept) {
      if (event.timestamp() >= timestamp) {
        out.add(event);
      }
    }
    List<LostRange> lostSince =
        lost.stream().filter(range -> range.atMillis() >= timestamp).toList();
    return new Replay(out, droppedUntil < timestamp, lostSince);
  }

  /**
   * The last {@code n} events, oldest first; complete if there were that many or none was dropped.
   */
  Replay last(int n) {
    List<EventMessage> out = new ArrayList<>(Math.min(n, kept.size()));
    int skip = Math.max(0, kept.size() - n);
    Iterator<EventMessage> it = kept.iterator();
    for (int i = 0; it.hasNext(); i++) {
      EventMessage event = it.next();
      if (i >= skip) {
        out.add(event);
      }
    }
    return new Replay(out, out.size() >= n || droppedUntil == Long.MIN_VALUE);
  }

  int kept() {
    return kept.size();
  }

  /** Every kept event, oldest first (for persistence). */
  List<EventMessage> all() {
    return new ArrayList<>(kept);
  }
}
