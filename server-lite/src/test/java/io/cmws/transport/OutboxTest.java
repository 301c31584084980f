package io.cmws.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {
  private static final OutboxLimits LIMITS =
      new OutboxLimits(16, 16 * 1024, SlowConsumerPolicy.DROP_OLDEST);

  /** A socket that takes at most {@code budget} bytes until given more. */
  private static final class Socket implements GatheringByteChannel, ByteChannel {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    int budget;

    Socket(int budget) {
      this.budget = budget;
    }

    @Override
    public int write(ByteBuffer source) {
      int count = Math.min(budget, source.remaining());
      byte[] bytes = new byte[count];
      source.get(bytes);
      received.write(bytes, 0, count);
      budget -= count;
      return count;
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        total += write(sources[i]);
      }
      return total;
    }

    @Override
    public long write(ByteBuffer[] sources) {
      return write(sources, 0, sources.length);
    }

    @Override
    public int read(ByteBuffer destination) {
      return 0;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}

    String text() {
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static ByteBuffer event(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer();
  }

  private static ByteBuffer reply(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void framesGoOutWholeAndInOrderAcrossPartialWritesWithoutMovingTheSharedFrame() throws Exception {
    ByteBuffer shared = event("EVENT-ONE;");
    Outbox outbox = new Outbox(LIMITS);
    assertEquals(Outbox.Offer.FIRST, outbox.offer(shared));
    assertEquals(Outbox.Offer.QUEUED, outbox.offer(reply("reply;")));
    assertEquals(Outbox.Offer.QUEUED, outbox.offer(event("event-two;")));
    Socket socket = new Socket(4);
    assertFalse(outbox.flushTo(socket), "the socket took 4 bytes");
    socket.budget = 10;
    assertFalse(outbox.flushTo(socket));
    socket.budget = 1000;
    assertTrue(outbox.flushTo(socket));
    assertEquals("EVENT-ONE;reply;event-two;", socket.text());
    assertEquals(0, shared.position(), "other subscribers share it");
    assertTrue(outbox.isEmpty());
  }

  @Test
  void oneEventToManySocketsAndThenAnotherReachEachWhole() throws Exception {
    WriteBuffer.forThisThread().cleared();
    List<Socket> sockets = new ArrayList<>();
    for (String text : List.of("first-event;", "second;")) {
      ByteBuffer frame = event(text);
      for (int i = 0; i < 3; i++) {
        Outbox outbox = new Outbox(LIMITS);
        outbox.offer(frame);
        Socket socket = new Socket(1000);
        assertTrue(outbox.writeNowUnless(() -> false, socket));
        sockets.add(socket);
        assertEquals(text, socket.text());
      }
    }
    Outbox waiting = new Outbox(LIMITS);
    waiting.offer(event("x"));
    assertFalse(waiting.writeNowUnless(() -> true, new Socket(1000)), "the library goes first");
    assertEquals(6, sockets.size());
  }

  @Test
  void anEmptyFrameDoesNotStopTheOnesBehindIt() throws Exception {
    Outbox outbox = new Outbox(LIMITS);
    outbox.offer(reply(""));
    outbox.offer(reply("after;"));
    Socket socket = new Socket(1000);
    assertTrue(outbox.flushTo(socket));
    assertEquals("after;", socket.text());
    assertTrue(outbox.isEmpty());
  }

  @Test
  void whenFullTheOldestEventNotStartedGoesButNeverAReplyOrAHalfWrittenHead() throws Exception {
    Outbox outbox = new Outbox(new OutboxLimits(16, 16 * 1024, SlowConsumerPolicy.DROP_OLDEST));
    outbox.offer(event("e0-started;"));
    Socket socket = new Socket(3);
    outbox.flushTo(socket); // "e0-" is on the wire
    outbox.offer(reply("r1;"));
    for (int i = 2; i < 16; i++) {
      outbox.offer(event("e" + i + ";"));
    }
    assertEquals(Outbox.Offer.QUEUED, outbox.offer(event("e16;")));
    assertEquals(1, outbox.takeDropped());
    socket.budget = 10_000;
    assertTrue(outbox.flushTo(socket));
    String wire = socket.text();
    assertTrue(wire.startsWith("e0-started;r1;e3;"), wire); // e2 was the oldest not started
    assertTrue(wire.endsWith("e15;e16;"), wire);
    assertEquals(0, outbox.takeDropped());
  }

  @Test
  void aLibraryFrameWaitsForTheRestOfAHalfWrittenFrameAndMoveToHandsOverTheRest() throws Exception {
    Outbox outbox = new Outbox(LIMITS);
    outbox.offer(event("abcdef;"));
    outbox.offer(reply("ghi;"));
    Socket socket = new Socket(3);
    outbox.flushTo(socket);
    socket.budget = 2;
    assertEquals(0, outbox.writeLibraryFrame(reply("PONG"), socket), "head not done yet");
    socket.budget = 100;
    assertEquals(4, outbox.writeLibraryFrame(reply("PONG"), socket));
    assertEquals("abcdef;PONG", socket.text());

    List<ByteBuffer> handed = new ArrayList<>();
    outbox.moveTo(handed::add);
    assertTrue(outbox.isEmpty());
    assertEquals(1, handed.size());
    byte[] rest = new byte[handed.get(0).remaining()];
    handed.get(0).get(rest);
    assertArrayEquals("ghi;".getBytes(StandardCharsets.ISO_8859_1), rest);
  }
}
