package io.cmws.transport;

import java.nio.ByteBuffer;

/** Builds RFC 6455 frames as the server sends them: final, unmasked, uncompressed. */
public final class WireFrames {
  private static final int OPCODE_TEXT = 0x1;
  private static final int FIN = 0x80;

  private WireFrames() {}

  /** A complete text frame around {@code utf8}, positioned at 0 and ready to write. */
  public static ByteBuffer text(byte[] utf8) {
    int length = utf8.length;
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuffer frame = ByteBuffer.allocate(header + length);
    frame.put((byte) (FIN | OPCODE_TEXT));
    if (length < 126) {
      frame.put((byte) length);
    } else if (length <= 0xFFFF) {
      frame.put((byte) 126);
      frame.putShort((short) length);
    } else {
      frame.put((byte) 127);
      frame.putLong(length);
    }
    frame.put(utf8);
    frame.flip();
    return frame;
  }
}
