package io.cmws.cli.repl;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.output.Style;
import java.util.Iterator;
import java.util.Map;

/**
 * Pretty-printed JSON with keys, strings, numbers and literals in different colours (when enabled).
 */
final class JsonColors {
  private final Style style;

  JsonColors(Style style) {
    this.style = style;
  }

  String pretty(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out, 0);
    return out.toString();
  }

  private void write(JsonNode node, StringBuilder out, int indent) {
    if (node == null || node.isNull()) {
      out.append(style.literal("null"));
    } else if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        pad(out, indent + 1).append(style.key(quote(field.getKey()))).append(": ");
        write(field.getValue(), out, indent + 1);
        out.append(it.hasNext() ? ",\n" : "\n");
      }
      pad(out, indent).append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < node.size(); i++) {
        pad(out, indent + 1);
        write(node.get(i), out, indent + 1);
        out.append(i + 1 < node.size() ? ",\n" : "\n");
      }
      pad(out, indent).append(']');
    } else if (node.isTextual()) {
      out.append(style.string(quote(node.asText())));
    } else if (node.isNumber()) {
      out.append(style.number(node.toString()));
    } else {
      out.append(style.literal(node.toString()));
    }
  }

  private static StringBuilder pad(StringBuilder out, int indent) {
    return out.append("  ".repeat(indent));
  }

  private static String quote(String text) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
  }
}
