package io.cmws.transport;

/** How much may wait for one connection before {@link SlowConsumerPolicy} applies. */
public record OutboxLimits(int maxFrames, long maxBytes, SlowConsumerPolicy policy) {
  public static final int DEFAULT_MAX_FRAMES = 10_000;
  public static final long DEFAULT_MAX_BYTES = 1024 * 1024;

  public OutboxLimits {
    if (maxFrames < 16 || maxBytes < 16 * 1024) {
      throw new IllegalArgumentException(
          "an outbox must hold at least 16 frames and 16 KiB, got "
              + maxFrames
              + " and "
              + maxBytes);
    }
  }

  public static OutboxLimits standard() {
    return new OutboxLimits(DEFAULT_MAX_FRAMES, DEFAULT_MAX_BYTES, SlowConsumerPolicy.DISCONNECT);
  }
}
