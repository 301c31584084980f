package io.cmws.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClientFrameReaderTest {
  private final Random random = new Random(42);

  /** A client's frame: FIN, the opcode, the length in 7, 16 or 64 bits, masked with a key. */
  private byte[] frame(int opcode, boolean fin, byte[] payload, int mask) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    int maskBit = mask == 0 ? 0 : 0x80;
    if (payload.length <= 125) {
      out.write(maskBit | payload.length);
    } else if (payload.length <= 0xFFFF) {
      out.write(maskBit | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length);
    } else {
      out.write(maskBit | 127);
      out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
    }
    if (mask != 0) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(mask).array());
    }
    byte[] key = ByteBuffer.allocate(4).putInt(mask).array();
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ (mask == 0 ? 0 : key[i % 4]));
    }
    return out.toByteArray();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] payload(Framedata frame) {
    ByteBuffer data = frame.getPayloadData().duplicate();
    byte[] out = new byte[data.remaining()];
    data.get(out);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void unmasksEveryLengthTheLibraryWould() throws Exception {
    for (int n : new int[] {0, 1, 7, 8, 9, 125, 126, 1000, 65535, 65536, 200_000}) {
      byte[] data = bytes(n);
      ClientFrameReader reader = new ClientFrameReader(1 << 20);
      List<Framedata> frames = reader.read(ByteBuffer.wrap(frame(2, true, data, 0x1A2B3C4D)));
      assertEquals(1, frames.size(), "length " + n);
      assertEquals(Opcode.BINARY, frames.get(0).getOpcode());
      assertTrue(frames.get(0).isFin());
      assertArrayEquals(data, payload(frames.get(0)), "length " + n);
    }
  }

  @Test
  void framesSplitAtAnyByteComeOutWholeAndInOrder() throws Exception {
    byte[] a = "{\"type\":\"publish\"}".getBytes(StandardCharsets.US_ASCII);
    byte[] b = bytes(300);
    byte[] c = bytes(70_000);
    byte[] wire =
        concat(
            frame(1, true, a, 0x01020304),
            frame(2, true, b, 0x7F00FF80),
            frame(2, true, c, 0xCAFEBABE),
            frame(9, true, new byte[0], 0x11111111));
    for (int cut = 0; cut <= wire.length; cut += cut < 400 ? 1 : 997) {
      ClientFrameReader reader = new ClientFrameReader(1 << 20);
      List<Framedata> frames = new ArrayList<>(reader.read(ByteBuffer.wrap(wire, 0, cut)));
      int at = cut;
      while (at < wire.length) { // the rest in reads of 1 000 bytes
        int n = Math.min(1000, wire.length - at);
        frames.addAll(reader.read(ByteBuffer.wrap(wire, at, n)));
        at += n;
      }
      assertEquals(4, frames.size(), "cut at " + cut);
      assertArrayEquals(a, payload(frames.get(0)));
      assertArrayEquals(b, payload(frames.get(1)));
      assertArrayEquals(c, payload(frames.get(2)));
      assertEquals(Opcode.PING, frames.get(3).getOpcode());
    }
  }

  @Test
  void aFrameAboveTheLimitIsRefusedFromItsHeaderAlone() {
    ClientFrameReader reader = new ClientFrameReader(1000);
    byte[] header = Arrays.copyOf(frame(1, true, bytes(1001), 0x01020304), 8);
    LimitExceededException e =
        assertThrows(LimitExceededException.class, () -> reader.read(ByteBuffer.wrap(header)));
    assertEquals(CloseFrame.TOOBIG, e.getCloseCode());
    byte[] huge = {(byte) 0x81, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0};
    assertThrows(
        LimitExceededException.class,
        () -> new ClientFrameReader(1000).read(ByteBuffer.wrap(huge)));
  }

  @Test
  void brokenFramesAreProtocolErrors() {
    byte[] rsv = frame(1, true, bytes(3), 0x01020304);
    rsv[0] |= 0x40;
    byte[] opcode = frame(3, true, bytes(3), 0x01020304);
    byte[] longPing = frame(9, true, bytes(126), 0x01020304);
    byte[] unfinishedClose = frame(8, false, new byte[] {3, (byte) 0xE8}, 0x01020304);
    for (byte[] wire : List.of(rsv, opcode, longPing, unfinishedClose)) {
      InvalidDataException e =
          assertThrows(
              InvalidDataException.class,
              () -> new ClientFrameReader(1 << 20).read(ByteBuffer.wrap(wire)));
      assertEquals(CloseFrame.PROTOCOL_ERROR, e.getCloseCode());
      assertTrue(e instanceof InvalidFrameException || e.getCloseCode() == 1002);
    }
  }

  @Test
  void aCloseFrameCarriesItsCodeAndReason() throws Exception {
    byte[] close = concat(new byte[] {0x0F, (byte) 0xA0}, "bye".getBytes(StandardCharsets.UTF_8));
    Framedata frame =
        new ClientFrameReader(1 << 20)
            .read(ByteBuffer.wrap(frame(8, true, close, 0x0BADF00D)))
            .get(0);
    assertEquals(4000, ((CloseFrame) frame).getCloseCode());
    assertEquals("bye", ((CloseFrame) frame).getMessage());
  }

  @Test
  void textIsAsciiFastOrStrictUtf8() throws Exception {
    TextPayload text = new TextPayload();
    assertEquals("{\"a\":1}", text.decode(ByteBuffer.wrap("{\"a\":1}".getBytes())));
    String mixed = "{\"name\":\"Zoë — ünïcode ✓ 🚀\",\"pad\":\"" + "x".repeat(40) + "\"}";
    assertEquals(mixed, text.decode(ByteBuffer.wrap(mixed.getBytes(StandardCharsets.UTF_8))));
    byte[] invalid = {'{', '"', (byte) 0xC3, '"', '}'};
    InvalidDataException e =
        assertThrows(InvalidDataException.class, () -> text.decode(ByteBuffer.wrap(invalid)));
    assertEquals(CloseFrame.NO_UTF8, e.getCloseCode());
    assertFalse(TextPayload.isAscii(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, (byte) 0x80}, 0, 9));
    assertTrue(TextPayload.isAscii(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, (byte) 0x80}, 0, 8));
  }
}
