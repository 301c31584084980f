package io.cmws.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.java_websocket.exceptions.IncompleteHandshakeException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.handshake.HandshakeImpl1Client;

/**
 * A client's HTTP upgrade request, read as Java-WebSocket's {@code Draft.translateHandshakeHttp}
 * reads it (same results, same exceptions, the buffer left after the blank line) without its cost
 * per connection: the library compiles a regular expression for every header line ({@code
 * replaceFirst("^ +", "")}) and allocates a buffer the size of the rest of the request for every
 * line.
 */
final class HandshakeRequestParser {
  private HandshakeRequestParser() {}

  static HandshakeImpl1Client parse(ByteBuffer buf) throws InvalidHandshakeException {
    String line = readLine(buf);
    if (line == null) {
      throw new IncompleteHandshakeException(buf.capacity() + 128);
    }
    String[] first = line.split(" ", 3);
    if (first.length != 3) {
      throw new InvalidHandshakeException();
    }
    if (!"GET".equalsIgnoreCase(first[0])) {
      throw new InvalidHandshakeException(
          String.format("Invalid request method received: %s Status line: %s", first[0], line));
    }
    if (!"HTTP/1.1".equalsIgnoreCase(first[2])) {
      throw new InvalidHandshakeException(
          String.format("Invalid status line received: %s Status line: %s", first[2], line));
    }
    HandshakeImpl1Client request = new HandshakeImpl1Client();
    request.setResourceDescriptor(first[1]);
    for (line = readLine(buf); line != null && !line.isEmpty(); line = readLine(buf)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new InvalidHandshakeException("not an http header");
      }
      String name = line.substring(0, colon);
      String value = withoutLeadingSpaces(line, colon + 1);
      if (request.hasFieldValue(name)) {
        request.put(name, request.getFieldValue(name) + "; " + value);
      } else {
        request.put(name, value);
      }
    }
    if (line == null) {
      throw new IncompleteHandshakeException();
    }
    return request;
  }

  /** The next line ending in CRLF, without it; null (nothing consumed) if none is complete. */
  static String readLine(ByteBuffer buf) {
    int start = buf.position();
    for (int i = start + 1; i < buf.limit(); i++) {
      if (buf.get(i) == '\n' && buf.get(i - 1) == '\r') {
        byte[] bytes = new byte[i - 1 - start];
        buf.get(bytes);
        buf.position(i + 1);
        return new String(bytes, StandardCharsets.US_ASCII);
      }
    }
    return null;
  }

  private static String withoutLeadingSpaces(String line, int from) {
    int start = from;
    while (start < line.length() && line.charAt(start) == ' ') {
      start++;
    }
    return line.substring(start);
  }
}
