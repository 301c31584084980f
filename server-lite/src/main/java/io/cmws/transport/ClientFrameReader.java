package io.cmws.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.FramedataImpl1;

/**
 * Reads RFC 6455 frames from a client, with the library's rules (no extensions: any RSV bit is an
 * error; control frames of at most 125 bytes; payloads above the frame limit close with 1009) but
 * not its cost: the library unmasks byte by byte through {@code ByteBuffer.get} and scans every
 * text frame for valid UTF-8 before decoding it again. Here the payload is copied once and unmasked
 * eight bytes at a time; a text frame's UTF-8 is checked where it is decoded ({@link TextPayload}).
 * A frame split across reads is collected in a buffer of its full size, known once its header is
 * in. One per connection, used by one thread at a time.
 */
final class ClientFrameReader {
  /** Eight bytes of a byte array as one long, for unmasking and for {@link TextPayload}. */
  static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final int maxPayload;

  /**
   * The start of a frame that has not fully arrived; its capacity is what is known to be needed.
   */
  private ByteBuffer partial;

  ClientFrameReader(int maxPayload) {
    this.maxPayload = maxPayload;
  }

  /** Every complete frame in {@code in}; the rest is kept for the next read. */
  List<Framedata> read(ByteBuffer in) throws InvalidDataException {
    List<Framedata> frames = new ArrayList<>(2);
    while (partial != null) {
      int take = Math.min(partial.remaining(), in.remaining());
      partial.put(in.slice().limit(take));
      in.position(in.position() + take);
      if (partial.hasRemaining()) {
        return frames;
      }
      ByteBuffer collected = partial.duplicate().flip();
      int size = frameSize(collected);
      if (size > collected.remaining()) {
        partial = ByteBuffer.allocate(size).put(collected);
        continue;
      }
      partial = null;
      frames.add(decode(collected));
    }
    while (in.hasRemaining()) {
      int size = frameSize(in);
      if (size > in.remaining()) {
        partial = ByteBuffer.allocate(size).put(in);
        return frames;
      }
      frames.add(decode(in));
    }
    return frames;
  }

  /** Forgets a partly read frame (the library's {@code reset}). */
  void reset() {
    partial = null;
  }

  /**
   * The bytes the frame at {@code in}'s position takes, header included, once its header is in;
   * before that, how many bytes the header needs at least. Checks the length against the limits
   * before anything is allocated for it.
   */
  private int frameSize(ByteBuffer in) throws InvalidDataException {
    int at = in.position();
    int available = in.remaining();
    if (available < 2) {
      return 2;
    }
    int second = in.get(at + 1);
    boolean masked = (second & 0x80) != 0;
    int length7 = second & 0x7F;
    int lengthEnd = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
    int header = lengthEnd + (masked ? 4 : 0);
    if (available < lengthEnd) {
      return header;
    }
    long length;
    if (length7 == 126) {
      length = in.getShort(at + 2) & 0xFFFF;
    } else if (length7 == 127) {
      length = in.getLong(at + 2);
    } else {
      length = length7;
    }
    if (length > 125 && (in.get(at) & 0x08) != 0) {
      throw new InvalidFrameException("more than 125 octets");
    }
    if (length < 0 || length > maxPayload) {
      throw new LimitExceededException("Payload limit reached.", maxPayload);
    }
    return available < header ? header : header + (int) length;
  }

  /** Decodes the complete frame at {@code in}'s position and moves past it. */
  private static Framedata decode(ByteBuffer in) throws InvalidDataException {
    int first = in.get();
    int second = in.get();
    if ((first & 0x70) != 0) {
      throw new InvalidFrameException(
          "bad rsv RSV1: "
              + ((first & 0x40) != 0)
              + " RSV2: "
              + ((first & 0x20) != 0)
              + " RSV3: "
              + ((first & 0x10) != 0));
    }
    Opcode opcode = opcode(first & 0x0F);
    int length7 = second & 0x7F;
    int length =
        length7 == 126
            ? in.getShort() & 0xFFFF
            : length7 == 127 ? (int) in.getLong() : length7; // checked by frameSize
    int mask = (second & 0x80) != 0 ? in.getInt() : 0;
    byte[] payload = new byte[length];
    in.get(payload);
    unmask(payload, mask);
    FramedataImpl1 frame = FramedataImpl1.get(opcode);
    frame.setFin((first & 0x80) != 0);
    frame.setPayload(ByteBuffer.wrap(payload));
    if (!(opcode == Opcode.TEXT && frame.isFin())) {
      frame.isValid(); // a whole text message's UTF-8 is checked as it is decoded
    }
    return frame;
  }

  /** XORs {@code payload} with the 4-byte mask key (big-endian in {@code mask}). */
  static void unmask(byte[] payload, int mask) {
    if (mask == 0) {
      return;
    }
    long key = ((long) mask << 32) | (mask & 0xFFFF_FFFFL);
    int i = 0;
    for (int end = payload.length - 7; i < end; i += 8) {
      LONGS.set(payload, i, (long) LONGS.get(payload, i) ^ key);
    }
    for (; i < payload.length; i++) {
      payload[i] ^= (byte) (mask >>> (24 - 8 * (i & 3)));
    }
  }

  private static Opcode opcode(int code) throws InvalidFrameException {
    return switch (code) {
      case 0 -> Opcode.CONTINUOUS;
      case 1 -> Opcode.TEXT;
      case 2 -> Opcode.BINARY;
      case 8 -> Opcode.CLOSING;
      case 9 -> Opcode.PING;
      case 10 -> Opcode.PONG;
      default -> throw new InvalidFrameException("Unknown opcode " + code);
    };
  }
}
