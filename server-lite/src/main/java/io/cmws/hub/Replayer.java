package io.cmws.hub;

import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.ServerFrame;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A subscribe that asks for a replay: live events are held while the kept history of every matching
 * channel is read, then the reply, the replay (merged across channels by time, each channel in seq
 * order) and the held live events go out in that order. An event both kept and held is sent once,
 * from the held ones.
 */
final class Replayer {
  private final ChannelRouter router;
  private volatile String epoch;
  private final Clock clock;

  Replayer(ChannelRouter router, String epoch, Clock clock) {
    this.router = router;
    this.epoch = epoch;
    this.clock = clock;
  }

  String epoch() {
    return epoch;
  }

  /** The history started over (shared history lost): positions from before mean nothing now. */
  void epoch(String newEpoch) {
    this.epoch = newEpoch;
  }

  void subscribe(Connection connection, ClientFrame.Subscribe request) {
    String epoch = this.epoch;
    RecoveryBuffer buffer = connection.beginRecovery();
    try {
      List<String> added = router.subscribe(connection, request.channels());
      ConcurrentSubscriptionIndex<String> matcher = new ConcurrentSubscriptionIndex<>();
      request.channels().forEach(pattern -> matcher.add(pattern, pattern));
      Map<String, List<EventMessage>> replays = new HashMap<>();
      Map<String, String> patternOf = new HashMap<>();
      List<ServerFrame.Lost> lost = new ArrayList<>();
      ClientFrame.Recover recover = request.recover();
      // positions from another epoch cannot be honoured, whatever is kept now
      boolean[] complete = {
        recover == null || recover.epoch() == null || recover.epoch().equals(epoch)
      };
      router.forEachLog(
          (channel, log) -> {
            List<ConcurrentSubscriptionIndex.Group<String>> groups = matcher.match(channel);
            if (groups.isEmpty()) {
              return;
            }
            ChannelLog.Replay replay;
            synchronized (log) {
              replay = select(request, channel, log, epoch);
            }
            complete[0] &= replay.complete();
            replay
                .lost()
                .forEach(
                    range -> lost.add(new ServerFrame.Lost(channel, range.from(), range.to())));
            if (!replay.events().isEmpty()) {
              replays.put(channel, replay.events());
              patternOf.put(channel, groups.get(0).pattern());
            }
          });
      lost.sort(
          Comparator.comparing(ServerFrame.Lost::channel)
              .thenComparingLong(ServerFrame.Lost::from));
      buffer.finish(
          held ->
              send(
                  connection,
                  added,
                  new Replays(replays, patternOf, lost),
                  held,
                  complete[0],
                  epoch));
    } finally {
      connection.endRecovery();
    }
  }

  private ChannelLog.Replay select(
      ClientFrame.Subscribe request, String channel, ChannelLog log, String epoch) {
    if (request.last() != null) {
      return log.last(request.last());
    }
    ClientFrame.Recover recover = request.recover();
    long after = recover.after() == null ? Long.MIN_VALUE : recover.after();
    if (recover.epoch() != null && !recover.epoch().equals(epoch)) {
      ChannelLog.Replay all = log.since(after);
      return new ChannelLog.Replay(
          all.events(), false); // positions from another epoch mean nothing
    }
    Long since = recover.since() == null ? null : recover.since().get(channel);
    if (since != null) {
      return log.after(since);
    }
    return recover.after() != null ? log.since(after) : new ChannelLog.Replay(List.of(), true);
  }

  /** What a subscribe found to replay: per channel, with the pattern it matched, and the losses. */
  private record Replays(
      Map<String, List<EventMessage>> events,
      Map<String, String> patternOf,
      List<ServerFrame.Lost> lost) {}

  private void send(
      Connection connection,
      List<String> added,
      Replays found,
      List<RecoveryBuffer.Held> held,
      boolean complete,
      String epoch) {
    Map<String, List<EventMessage>> replays = found.events();
    Map<String, String> patternOf = found.patternOf();
    Map<String, Long> firstHeld = new HashMap<>();
    for (RecoveryBuffer.Held h : held) {
      firstHeld.putIfAbsent(h.event().channel(), h.event().seq());
    }
    List<List<EventMessage>> lists = new ArrayList<>();
    replays.forEach(
        (channel, events) -> {
          long limit = firstHeld.getOrDefault(channel, Long.MAX_VALUE);
          List<EventMessage> before = events.stream().filter(e -> e.seq() < limit).toList();
          if (!before.isEmpty()) {
            lists.add(before);
          }
        });
    List<EventMessage> merged = mergeByTime(lists);
    connection.send(
        new ServerFrame.Subscribed(
            added,
            complete,
            merged.size(),
            epoch,
            clock.millis(),
            found.lost().isEmpty() ? null : found.lost()));
    for (EventMessage event : merged) {
      if (connection.accepts(event)) {
        connection.sink().sendText(event.replayJson(patternOf.get(event.channel())));
      }
    }
    for (RecoveryBuffer.Held h : held) {
      if (connection.accepts(h.event())) {
        connection.sink().sendEvent(h.event(), h.pattern());
      }
    }
  }

  /** Merges per-channel lists (each in seq order) by timestamp, never reordering within a list. */
  static List<EventMessage> mergeByTime(List<List<EventMessage>> lists) {
    record Cursor(List<EventMessage> list, int index) {
      EventMessage head() {
        return list.get(index);
      }
    }
    PriorityQueue<Cursor> heads =
        new PriorityQueue<>(
            Comparator.comparingLong((Cursor c) -> c.head().timestamp())
                .thenComparing(c -> c.head().channel()));
    for (List<EventMessage> list : lists) {
      heads.add(new Cursor(list, 0));
    }
    List<EventMessage> merged = new ArrayList<>();
    while (!heads.isEmpty()) {
      Cursor cursor = heads.poll();
      merged.add(cursor.head());
      if (cursor.index() + 1 < cursor.list().size()) {
        heads.add(new Cursor(cursor.list(), cursor.index() + 1));
      }
    }
    return merged;
  }
}
