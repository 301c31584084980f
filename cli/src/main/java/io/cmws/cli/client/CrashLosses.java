package io.cmws.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The seq ranges a crash of the hub may have lost, as a subscriber is told them, in words. */
public final class CrashLosses {
  private CrashLosses() {}

  /**
   * {@code [{"channel":"k:x","from":4,"to":1000}]} → "seq 4–1000 of k:x may be lost in a crash of
   * the hub".
   */
  public static String describe(JsonNode lost) {
    List<String> ranges = new ArrayList<>();
    for (JsonNode range : lost) {
      long from = range.path("from").asLong();
      long to = range.path("to").asLong();
      ranges.add(
          "seq "
              + (from == to ? Long.toString(from) : from + "\u2013" + to)
              + " of "
              + range.path("channel").asText());
    }
    return String.join(", ", ranges) + " may be lost in a crash of the hub";
  }
}
