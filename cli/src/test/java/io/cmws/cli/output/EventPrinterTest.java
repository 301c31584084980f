package io.cmws.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.protocol.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventPrinterTest {
  private static final String EVENT =
      "{\"type\":\"event\",\"channel\":\"a:b\",\"data\":{\"k\":1},\"timestamp\":5,\"seq\":2,\"pattern\":\"a:*\"}";

  private static String print(OutputFormat format, Style style, String event) throws Exception {
    StringWriter text = new StringWriter();
    new EventPrinter(new PrintWriter(text), format, style).print(Json.parse(event));
    return text.toString();
  }

  @Test
  void printsEachFormat() throws Exception {
    assertEquals("a:b#2 {\"k\":1}\n", print(OutputFormat.TEXT, Style.plain(), EVENT));
    assertEquals(
        "x s\n",
        print(
            OutputFormat.TEXT,
            Style.plain(),
            "{\"type\":\"event\",\"channel\":\"x\",\"data\":\"s\",\"timestamp\":5}"));
    assertEquals("{\"k\":1}\n", print(OutputFormat.RAW, Style.plain(), EVENT));
    assertEquals(
        "{\"channel\":\"a:b\",\"data\":{\"k\":1},\"timestamp\":5,\"seq\":2,\"pattern\":\"a:*\"}\n",
        print(OutputFormat.JSON, Style.plain(), EVENT));
    assertEquals(
        "{\"channel\":\"x\",\"data\":\"s\",\"timestamp\":5,\"seq\":null,\"pattern\":null}\n",
        print(
            OutputFormat.JSON,
            Style.plain(),
            "{\"type\":\"event\",\"channel\":\"x\",\"data\":\"s\",\"timestamp\":5}"));
  }

  @Test
  void colourOnlyDecorates() throws Exception {
    Style colour = Style.decide("always", false, Map.of());
    assertEquals(
        "\u001b[36ma:b\u001b[0m\u001b[2m#2\u001b[0m {\"k\":1}\n",
        print(OutputFormat.TEXT, colour, EVENT));
    assertEquals("{\"k\":1}\n", print(OutputFormat.RAW, colour, EVENT));
  }

  @Test
  void decidesColourOnce() {
    assertTrue(Style.decide("auto", true, Map.of("TERM", "xterm")).enabled());
    assertFalse(Style.decide("auto", false, Map.of()).enabled(), "not a terminal");
    assertFalse(Style.decide("auto", true, Map.of("NO_COLOR", "1")).enabled());
    assertTrue(
        Style.decide("auto", true, Map.of("NO_COLOR", "")).enabled(), "empty NO_COLOR is unset");
    assertFalse(Style.decide("auto", true, Map.of("TERM", "dumb")).enabled());
    assertTrue(Style.decide("auto", false, Map.of("CLICOLOR_FORCE", "1")).enabled());
    assertFalse(Style.decide("never", true, Map.of("CLICOLOR_FORCE", "1")).enabled());
  }
}
