package io.cmws.transport;

import java.nio.ByteBuffer;

/**
 * A direct buffer per writing thread that frames are copied into and written from with one system
 * call: the JDK would otherwise copy every heap frame into a temporary direct buffer of its own,
 * one lookup and one copy per frame. It remembers the last frame it holds whole, so an event
 * written to many idle sockets in a row is copied once.
 */
final class WriteBuffer {
  static final int CAPACITY = 128 * 1024;
  private static final ThreadLocal<WriteBuffer> PER_THREAD =
      ThreadLocal.withInitial(WriteBuffer::new);

  private final ByteBuffer direct = ByteBuffer.allocateDirect(CAPACITY);

  /** The frame that {@link #direct} holds whole from 0, or null. */
  private ByteBuffer holds;

  private WriteBuffer() {}

  static WriteBuffer forThisThread() {
    return PER_THREAD.get();
  }

  /** Ready to write {@code frame} whole (it must fit): copied only if not held already. */
  ByteBuffer holding(ByteBuffer frame) {
    int length = frame.remaining();
    if (holds != frame) {
      direct.clear();
      direct.put(0, frame, frame.position(), length);
      holds = frame;
    }
    direct.limit(length).position(0);
    return direct;
  }

  /** Empty, for {@link #append}; forgets the frame it held. */
  ByteBuffer cleared() {
    holds = null;
    return direct.clear();
  }

  /** Appends what fits of {@code frame} from {@code offset}; returns how many bytes did. */
  int append(ByteBuffer frame, int offset) {
    int start = frame.position() + offset;
    int count = Math.min(frame.limit() - start, direct.remaining());
    direct.put(direct.position(), frame, start, count);
    direct.position(direct.position() + count);
    return count;
  }
}
