package io.cmws.hub;

import java.util.concurrent.ThreadLocalRandom;

/** History epochs: a new one whenever a hub's numbering of events starts over. */
public final class Epochs {
  private Epochs() {}

  /** A time and a random part, so two never collide in practice. */
  public static String fresh() {
    return Long.toString(System.currentTimeMillis(), 36)
        + "-"
        + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }
}
