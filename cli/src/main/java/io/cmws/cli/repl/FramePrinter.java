package io.cmws.cli.repl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.output.Style;
import io.cmws.protocol.Json;

/**
 * How the REPL shows frames that arrive on their own: events as {@code event <channel> #seq} and
 * their data, errors as {@code error [code] message}, anything else by type. With {@code --json},
 * each frame as it came, one line. On a terminal the JSON is pretty-printed and coloured.
 */
final class FramePrinter {
  private final boolean json;
  private final boolean pretty;
  private final Style style;
  private final JsonColors colors;

  FramePrinter(boolean json, boolean pretty, Style style) {
    this.json = json;
    this.pretty = pretty;
    this.style = style;
    this.colors = new JsonColors(style);
  }

  String format(JsonNode frame) {
    if (json) {
      return Json.write(frame);
    }
    String type = frame.path("type").asText("?");
    if (type.equals("event")) {
      String seq = frame.hasNonNull("seq") ? " #" + frame.get("seq").asText() : "";
      return style.channel("event " + frame.path("channel").asText())
          + style.dim(seq)
          + " "
          + body(frame.get("data"));
    }
    if (type.equals("error")) {
      String code = frame.hasNonNull("code") ? "[" + frame.get("code").asText() + "] " : "";
      return style.error("error " + code + frame.path("message").asText());
    }
    ObjectNode rest = frame.isObject() ? ((ObjectNode) frame).deepCopy() : Json.object();
    rest.remove("type");
    return style.dim(type) + (rest.isEmpty() ? "" : " " + body(rest));
  }

  /** A JSON value: pretty and coloured on a terminal, compact otherwise. */
  String body(JsonNode node) {
    if (node == null) {
      return "null";
    }
    return pretty ? colors.pretty(node) : Json.write(node);
  }
}
