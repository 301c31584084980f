package io.cmws.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ClientFrame;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a subscriber is in the hub's history: the epoch, the last seq it printed per channel, and
 * when it first subscribed. Builds the {@code subscribe} that resumes without gap or duplicate, and
 * filters out anything already printed. Not thread-safe: the command thread owns it.
 */
public final class Resume {
  private String epoch;
  private Long subscribedAt;
  private final Map<String, Long> positions = new HashMap<>();

  /** The first subscribe: replay as asked, or nothing (last 0) just to learn the epoch. */
  public ClientFrame.Subscribe first(
      List<String> patterns, Integer last, Long since, Map<String, Long> sincePositions) {
    if (last != null) {
      return new ClientFrame.Subscribe(patterns, null, last);
    }
    if (since != null || !sincePositions.isEmpty()) {
      positions.putAll(sincePositions);
      return new ClientFrame.Subscribe(
          patterns, new ClientFrame.Recover(null, Map.copyOf(sincePositions), since), null);
    }
    return new ClientFrame.Subscribe(patterns, null, 0);
  }

  /** After a reconnect: everything since what was printed. */
  public ClientFrame.Subscribe again(List<String> patterns) {
    return new ClientFrame.Subscribe(
        patterns, new ClientFrame.Recover(epoch, Map.copyOf(positions), subscribedAt), null);
  }

  /** Learns the epoch and time from a {@code subscribed} reply; a new epoch voids the positions. */
  public void subscribed(JsonNode reply) {
    String replyEpoch = reply.path("epoch").asText(null);
    if (replyEpoch != null && epoch != null && !replyEpoch.equals(epoch)) {
      positions.clear();
    }
    if (replyEpoch != null) {
      epoch = replyEpoch;
    }
    if (subscribedAt == null && reply.hasNonNull("serverTime")) {
      subscribedAt = reply.get("serverTime").asLong();
    }
  }

  /** False for an event printed before (a replay overlapping what was seen); records the rest. */
  public boolean isNew(JsonNode event) {
    if (!event.hasNonNull("seq")) {
      return true; // claude-mem: no seq, nothing to compare
    }
    String channel = event.path("channel").asText();
    long seq = event.get("seq").asLong();
    Long seen = positions.get(channel);
    if (seen != null && seq <= seen) {
      return false;
    }
    positions.put(channel, seq);
    return true;
  }
}
