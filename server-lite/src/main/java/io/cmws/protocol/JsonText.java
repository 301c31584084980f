package io.cmws.protocol;

/**
 * Finds a member's value in the text of a JSON object that a parser has already accepted, so the
 * value can be passed on as the client wrote it instead of being written again from its tree.
 * Standard JSON only (what the hub's parser accepts); anything unexpected gives null, and the
 * caller writes the value from the tree as before.
 */
public final class JsonText {
  private JsonText() {}

  /**
   * The text of the top-level member {@code name} of {@code object} (the last one, as a tree keeps
   * it), or null if there is none, or a key is written with escapes, or the text is not an object.
   */
  public static String memberValue(String object, String name) {
    try {
      return scan(object, name);
    } catch (IndexOutOfBoundsException e) {
      return null; // not what the parser accepted: leave it to the tree
    }
  }

  private static String scan(String text, String name) {
    int i = skipSpace(text, 0);
    if (text.charAt(i) != '{') {
      return null;
    }
    String found = null;
    i = skipSpace(text, i + 1);
    if (text.charAt(i) == '}') {
      return null;
    }
    while (true) {
      if (text.charAt(i) != '"') {
        return null;
      }
      int keyEnd = skipString(text, i);
      if (hasEscape(text, i + 1, keyEnd - 1)) {
        return null; // "d\u0061ta" is "data" too: leave such keys to the parser
      }
      boolean wanted = keyEnd - i - 2 == name.length() && text.startsWith(name, i + 1);
      i = skipSpace(text, keyEnd);
      if (text.charAt(i) != ':') {
        return null;
      }
      int valueStart = skipSpace(text, i + 1);
      int valueEnd = skipValue(text, valueStart);
      if (wanted) {
        found = text.substring(valueStart, valueEnd);
      }
      i = skipSpace(text, valueEnd);
      char next = text.charAt(i);
      if (next == '}') {
        return found;
      }
      if (next != ',') {
        return null;
      }
      i = skipSpace(text, i + 1);
    }
  }

  private static boolean hasEscape(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '\\') {
        return true;
      }
    }
    return false;
  }

  /** From an opening quote to just after its closing quote. */
  private static int skipString(String text, int quote) {
    int i = quote + 1;
    while (true) {
      char c = text.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '"') {
        return i + 1;
      } else {
        i++;
      }
    }
  }

  /** From a value's first character to just after its last. */
  private static int skipValue(String text, int start) {
    char first = text.charAt(start);
    if (first == '"') {
      return skipString(text, start);
    }
    if (first == '{' || first == '[') {
      int depth = 0;
      int i = start;
      while (true) {
        char c = text.charAt(i);
        if (c == '"') {
          i = skipString(text, i);
          continue;
        }
        if (c == '{' || c == '[') {
          depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
          return i + 1;
        }
        i++;
      }
    }
    int i = start; // a number, true, false or null
    while (i < text.length() && ",}] \t\r\n".indexOf(text.charAt(i)) < 0) {
      i++;
    }
    return i;
  }

  private static int skipSpace(String text, int from) {
    int i = from;
    while (" \t\r\n".indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }
}
