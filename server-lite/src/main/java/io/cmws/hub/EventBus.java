package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.EventMessage;

/**
 * How events reach every hub when several share their channels (through Redis). The bus numbers
 * each event from one shared counter per channel and hands every hub's events, this hub's included,
 * to {@link Sink#event} in seq order per channel. A hub of its own has no bus.
 */
public interface EventBus extends AutoCloseable {

  /** Where the bus delivers; called from the bus's thread. */
  interface Sink {
    /** The newest seq this hub holds for {@code channel}; 0 if none. */
    long lastSeq(String channel);

    /**
     * The next event of its channel; a seq beyond lastSeq + 1 means the events between are gone for
     * good.
     */
    void event(EventMessage event);

    /** The shared history was lost (Redis without persistence restarted): local history is void. */
    void epochChanged(String epoch);
  }

  /**
   * What {@link #publish} reports, from any thread: the seq, or why the event was not published.
   */
  @FunctionalInterface
  interface Published {
    void done(long seq, Exception error);
  }

  /** Starts delivering to {@code sink}; returns the history epoch. */
  String start(Sink sink);

  /** Numbers and stores the event and hands it to every hub; never blocks the caller. */
  void publish(String channel, JsonNode data, String dataJson, long timestamp, Published done);

  /** Null while publishing can work; else why not, in words for clients and {@code /health}. */
  String unavailable();

  @Override
  void close();
}
