package io.cmws.cli.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Looking into frames without decoding them: the bench must keep up with the hub. */
final class Bytes {
  private Bytes() {}

  static boolean startsWith(ByteBuffer buffer, byte[] prefix) {
    if (buffer.remaining() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buffer.get(buffer.position() + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Index (absolute) just after the first occurrence of {@code needle}, or -1. */
  static int after(ByteBuffer buffer, byte[] needle) {
    outer:
    for (int i = buffer.position(); i <= buffer.limit() - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buffer.get(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i + needle.length;
    }
    return -1;
  }

  /** The non-negative integer right after {@code needle}, or -1. */
  static long number(ByteBuffer buffer, byte[] needle) {
    int at = after(buffer, needle);
    if (at < 0) {
      return -1;
    }
    long value = 0;
    for (int i = at; i < buffer.limit(); i++) {
      byte b = buffer.get(i);
      if (b < '0' || b > '9') {
        break;
      }
      value = value * 10 + (b - '0');
    }
    return value;
  }

  /** The string value right after {@code needle} (which ends with the opening quote). */
  static String string(ByteBuffer buffer, byte[] needle) {
    int at = after(buffer, needle);
    if (at < 0) {
      return null;
    }
    int end = at;
    while (end < buffer.limit() && buffer.get(end) != '"') {
      end++;
    }
    byte[] out = new byte[end - at];
    for (int i = 0; i < out.length; i++) {
      out[i] = buffer.get(at + i);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
