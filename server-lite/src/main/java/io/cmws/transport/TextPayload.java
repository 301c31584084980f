package io.cmws.transport;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;

/**
 * A text frame's payload as a string. JSON frames are nearly always ASCII: those are checked eight
 * bytes at a time and copied; anything else goes through a strict UTF-8 decoder, and invalid UTF-8
 * closes the connection with 1007, as the library does.
 */
final class TextPayload {
  private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

  private CharsetDecoder strict;

  String decode(ByteBuffer payload) throws InvalidDataException {
    if (payload.hasArray()) {
      byte[] bytes = payload.array();
      int from = payload.arrayOffset() + payload.position();
      int length = payload.remaining();
      if (isAscii(bytes, from, length)) {
        return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
      }
    }
    if (strict == null) {
      strict =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
    try {
      return strict.reset().decode(payload.duplicate()).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidDataException(CloseFrame.NO_UTF8, e);
    }
  }

  static boolean isAscii(byte[] bytes, int from, int length) {
    int i = from;
    int end = from + length;
    long seen = 0;
    for (; i < end - 7; i += 8) {
      seen |= (long) ClientFrameReader.LONGS.get(bytes, i);
    }
    for (; i < end; i++) {
      seen |= bytes[i];
    }
    return (seen & HIGH_BITS) == 0;
  }
}
