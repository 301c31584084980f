package io.cmws.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.protocol.EventMessage;
import io.cmws.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelLogTest {
  private static final long RESTART = 5_000;

  private static EventMessage event(long seq, long timestamp) {
    return new EventMessage("k:x", Json.parseOrString("{}"), timestamp, seq);
  }

  private static List<Long> seqs(ChannelLog.Replay replay) {
    return replay.events().stream().map(EventMessage::seq).toList();
  }

  @Test
  void aResumeThatReachesIntoARangeLostInACrashIsToldWhichSeqs() {
    ChannelLog log =
        ChannelLog.restored(
            100,
            7,
            List.of(event(1, 10), event(2, 20), event(3, 30)),
            List.of(new LostRange(4, 7, RESTART)));
    assertEquals(8, log.nextSeq(), "numbering goes on after the lost range");
    log.append(event(8, RESTART + 10));

    ChannelLog.Replay fromThree = log.after(3);
    assertEquals(List.of(8L), seqs(fromThree));
    assertFalse(fromThree.complete());
    assertEquals(List.of(new LostRange(4, 7, RESTART)), fromThree.lost());

    ChannelLog.Replay fromFive = log.after(5);
    assertEquals(List.of(new LostRange(6, 7, RESTART)), fromFive.lost(), "only what it lacks");
    assertFalse(fromFive.complete());

    ChannelLog.Replay fromSeven = log.after(7);
    assertTrue(fromSeven.complete(), "a subscriber past the range misses nothing");
    assertEquals(List.of(), fromSeven.lost());
    assertEquals(List.of(8L), seqs(fromSeven));
  }

  @Test
  void byTimeOnlyAResumeFromBeforeTheRestartCanMissLostEvents() {
    ChannelLog log =
        ChannelLog.restored(
            100, 7, List.of(event(1, 10), event(2, 20)), List.of(new LostRange(3, 7, RESTART)));
    ChannelLog.Replay before = log.since(15);
    assertFalse(before.complete());
    assertEquals(List.of(new LostRange(3, 7, RESTART)), before.lost());
    ChannelLog.Replay after = log.since(RESTART + 1);
    assertTrue(after.complete());
    assertEquals(List.of(), after.lost());
  }

  @Test
  void aCleanlyRestoredChannelReplaysExactlyAndOneWithoutItsOldEventsSaysSo() {
    ChannelLog whole = ChannelLog.restored(100, 2, List.of(event(1, 10), event(2, 20)), List.of());
    assertTrue(whole.since(0).complete(), "every event since the first is kept");
    assertTrue(whole.after(0).complete());
    assertEquals(3, whole.nextSeq());

    ChannelLog trimmed =
        ChannelLog.restored(100, 9, List.of(event(8, 80), event(9, 90)), List.of());
    assertFalse(trimmed.since(0).complete(), "events 1-7 are gone, their times unknown");
    assertFalse(trimmed.after(3).complete());
    assertTrue(trimmed.after(7).complete());

    ChannelLog counterOnly = ChannelLog.restored(0, 5, List.of(), List.of());
    assertFalse(counterOnly.since(0).complete());
    assertEquals(6, counterOnly.nextSeq());
  }
}
