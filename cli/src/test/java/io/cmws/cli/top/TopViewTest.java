package io.cmws.cli.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopViewTest {
  private static TopSample sample(long at, long delivered, long seqA, long seqB, long completed)
      throws Exception {
    return new TopSample(
        at,
        Json.parse(
            "{\"uptimeMs\":65000,\"health\":\"ok\",\"store\":\"memory\",\"eventsDelivered\":"
                + delivered
                + ",\"eventsPublished\":0,\"slowConsumers\":2,\"connections\":{\"browser\":2,\"worker\":0},"
                + "\"tasks\":{\"waiting\":3,\"running\":1,\"outcomes\":{\"completed\":"
                + completed
                + "}}}"),
        Json.parse(
            "[{\"channel\":\"a:slow\",\"seq\":"
                + seqA
                + ",\"subscribers\":5},{\"channel\":\"b:fast\",\"seq\":"
                + seqB
                + ",\"subscribers\":1}]"),
        Json.parse(
            "[{\"id\":\"gpu-box-3-x\",\"capabilities\":[\"resize\"],\"concurrency\":4,\"running\":[\"t1\"]}]"));
  }

  @Test
  void ratesAreTheDifferenceOfTwoSamplesAndEveryLineFits() throws Exception {
    List<String> screen =
        TopView.render(
            "ws://h/ws",
            sample(1_000, 100, 10, 10, 4),
            sample(3_000, 2_100, 12, 210, 10),
            TopView.Sort.RATE,
            false,
            80,
            24);
    String text = String.join("\n", screen);
    assertTrue(text.contains("deliveries/s 1000"), text);
    assertTrue(text.contains("connections  browser 2"), text);
    assertTrue(text.contains("3 waiting, 1 running   completed/s 3.0"), text);
    assertTrue(text.contains("slow consumers 2"), text);
    assertTrue(screen.stream().anyMatch(l -> l.matches("gpu-box-3-x\\s+resize\\s+1\\s+3")), text);
    int fast = indexOf(screen, "b:fast");
    int slow = indexOf(screen, "a:slow");
    assertTrue(fast < slow, "busiest channel first: " + text);
    assertTrue(screen.get(fast).matches("b:fast\\s+100\\.0\\s+210\\s+1"), screen.get(fast));
    assertTrue(screen.size() <= 24 && screen.stream().allMatch(l -> l.length() <= 80), text);
  }

  @Test
  void otherOrdersAndPauseShow() throws Exception {
    List<String> byName =
        TopView.render(
            "u", sample(0, 0, 1, 1, 0), sample(1_000, 0, 1, 9, 0), TopView.Sort.NAME, true, 80, 24);
    assertTrue(indexOf(byName, "a:slow") < indexOf(byName, "b:fast"));
    assertTrue(byName.get(0).contains("PAUSED"), byName.get(0));
    assertEquals(TopView.Sort.SUBSCRIBERS, TopView.Sort.NAME.next());
    List<String> first =
        TopView.render("u", null, sample(0, 0, 1, 1, 0), TopView.Sort.RATE, false, 40, 10);
    assertTrue(first.get(1).startsWith("deliveries/s -"), first.get(1));
    assertTrue(
        first.size() <= 10 && first.stream().allMatch(l -> l.length() <= 40), first.toString());
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError(prefix + " not on screen: " + lines);
  }
}
