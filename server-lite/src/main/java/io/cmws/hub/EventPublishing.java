package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;

/**
 * How a hub publishes: it numbers and delivers an event itself, or (several hubs sharing their
 * channels) hands it to the bus, which numbers it and brings it back to every hub. Called from any
 * thread; blocks only while the store reserves seq numbers on disk (see {@link
 * HubStorage#reserve}).
 */
@FunctionalInterface
interface EventPublishing {
  /**
   * Publishes on a valid channel name; {@code dataJson} is {@code data}'s text if known (else
   * null), {@code via} names the federated hubs the event came through (empty for a local one).
   * {@code done} learns the seq or the error, now or later.
   */
  void publish(
      String channel, JsonNode data, String dataJson, List<String> via, EventBus.Published done);

  /**
   * This hub numbers the event under the channel's lock and delivers it at once; {@code done}
   * learns if the store could not reserve its seq.
   */
  static EventPublishing local(ChannelRouter router) {
    return (channel, data, dataJson, via, done) -> {
      long seq;
      try {
        seq = router.publish(channel, data, dataJson, via);
      } catch (StoreUnavailableException e) {
        done.done(-1, e);
        return;
      }
      done.done(seq, null);
    };
  }

  /**
   * The bus numbers the event; it comes back to this hub's router through the bus's sink. The bus
   * keeps no {@code via}: several hubs on one Redis are one hub to a federation.
   */
  static EventPublishing through(EventBus bus, Clock clock) {
    return (channel, data, dataJson, via, done) ->
        bus.publish(channel, data, dataJson, clock.millis(), done);
  }
}
