package io.cmws.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link JsonText#memberValue} against Jackson: for any publish frame the parser accepts, the text
 * it finds parses to the very value the tree holds.
 */
class JsonTextProperties {
  private static final List<String> KEYS = List.of("type", "channel", "data", "id", "x", "da", "");

  @Property(tries = 3000)
  void theFoundTextIsTheTreesValue(@ForAll long seed) throws Exception {
    Random random = new Random(seed);
    StringBuilder frame = new StringBuilder();
    object(random, frame, 0, true);
    String text = frame.toString();
    JsonNode tree = Json.parse(text);
    String found = JsonText.memberValue(text, "data");
    if (tree.has("data")) {
      assertEquals(tree.get("data"), Json.parse(found), text);
    } else {
      assertNull(found, text);
    }
  }

  @Example
  void keysWrittenWithEscapesAreLeftToTheParser() {
    assertNull(JsonText.memberValue("{\"d\\u0061ta\":1}", "data"));
    assertNull(JsonText.memberValue("[1]", "data"));
    assertNull(JsonText.memberValue("{}", "data"));
    assertNull(JsonText.memberValue("{\"data\":", "data"), "not what the parser accepted");
    assertEquals("2", JsonText.memberValue("{\"data\":1,\"data\":2}", "data"), "the last one");
    assertEquals(
        "{ \"a\" : [1, \"}\\\"]\"] }",
        JsonText.memberValue(
            " {\"type\":\"publish\", \"data\" : { \"a\" : [1, \"}\\\"]\"] } }", "data"));
  }

  private static void space(Random random, StringBuilder out) {
    for (int n = random.nextInt(3); n > 0; n--) {
      out.append(" \t\r\n".charAt(random.nextInt(4)));
    }
  }

  private static void object(Random random, StringBuilder out, int depth, boolean top) {
    out.append('{');
    int members = random.nextInt(top ? 6 : 4);
    for (int i = 0; i < members; i++) {
      if (i > 0) {
        out.append(',');
      }
      space(random, out);
      string(random, out, KEYS.get(random.nextInt(KEYS.size())));
      space(random, out);
      out.append(':');
      space(random, out);
      value(random, out, depth + 1);
      space(random, out);
    }
    out.append('}');
  }

  private static void value(Random random, StringBuilder out, int depth) {
    switch (random.nextInt(depth > 3 ? 5 : 7)) {
      case 0 -> out.append(random.nextInt(2000) - 1000);
      case 1 -> out.append(random.nextDouble() * 1e6).append(random.nextBoolean() ? "e-3" : "");
      case 2 -> out.append(List.of("true", "false", "null").get(random.nextInt(3)));
      case 3, 4 -> string(random, out, text(random));
      case 5 -> object(random, out, depth, false);
      default -> {
        out.append('[');
        int items = random.nextInt(4);
        for (int i = 0; i < items; i++) {
          if (i > 0) {
            out.append(',');
          }
          space(random, out);
          value(random, out, depth + 1);
        }
        out.append(']');
      }
    }
  }

  /** Text with the characters that could fool a scanner: quotes, braces, brackets, escapes. */
  private static String text(Random random) {
    String alphabet = "ab{}[]\",:\\ é\u2028";
    StringBuilder text = new StringBuilder();
    for (int n = random.nextInt(8); n > 0; n--) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private static void string(Random random, StringBuilder out, String value) {
    out.append('"');
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append(random.nextBoolean() ? "\\\\" : "\\u005c");
        default -> out.append(c);
      }
    }
    out.append('"');
  }
}
