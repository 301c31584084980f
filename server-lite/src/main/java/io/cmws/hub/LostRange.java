package io.cmws.hub;

/**
 * Seq numbers {@code from..to} of a channel that were handed out (or reserved) before a crash of
 * the hub and never committed: their events may have reached some subscribers and are gone from the
 * history. {@code atMillis} is when the hub came back, after every such event's time.
 */
public record LostRange(long from, long to, long atMillis) {

  /** The part of this range after {@code seq}, or null if none is. */
  LostRange after(long seq) {
    return to <= seq ? null : new LostRange(Math.max(from, seq + 1), to, atMillis);
  }
}
