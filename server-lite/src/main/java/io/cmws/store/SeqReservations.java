package io.cmws.store;

import io.cmws.hub.StoreUnavailableException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Seq numbers reserved per channel in blocks, durably, ahead of use: after a crash each channel
 * continues after its last reserved block, so no seq is ever handed out twice, and the reserved
 * numbers not committed are the range a crash may have lost. Blocks follow the channel's rate: one
 * seq at a time for a channel that publishes now and then (it waits for a commit per event, and a
 * crash loses no more than the event in flight), doubling up to {@link #MAX_BLOCK} while blocks are
 * used up within a second. The next block is asked for while half of the current one is left, so a
 * busy channel rarely waits for the disk.
 */
final class SeqReservations {
  static final long MAX_BLOCK = 1024;
  private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long WAIT_SECONDS = 10;

  private final SqliteStore store;
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();

  /**
   * One channel's reservations. {@code requested} and {@code pending} are touched only under the
   * channel's lock (the caller's); {@code durable} also by the writer thread.
   */
  private static final class Channel {
    private volatile long durable;
    private long requested;
    private long block;
    private long requestedAtNanos;
    private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

    /**
     * The size of the next block: larger while blocks go fast, one seq when the channel is slow.
     */
    private long nextBlock(long nowNanos) {
      boolean busy = block > 0 && nowNanos - requestedAtNanos < BUSY_NANOS;
      block = busy ? Math.min(MAX_BLOCK, block * 2) : 1;
      requestedAtNanos = nowNanos;
      return block;
    }

    private synchronized void durableUpTo(long until) {
      durable = Math.max(durable, until);
    }
  }

  SeqReservations(SqliteStore store) {
    this.store = store;
  }

  /** Returns once {@code seq} is durably reserved; see {@link io.cmws.hub.HubStorage#reserve}. */
  void reserve(String channel, long seq) {
    Channel reservations = channels.computeIfAbsent(channel, name -> new Channel());
    long ahead = reservations.block / 2;
    if (seq <= reservations.durable && seq + ahead <= reservations.requested) {
      return; // the common case: reserved, and the next block not yet due
    }
    if (seq + ahead > reservations.requested) {
      long until =
          Math.max(reservations.requested, seq - 1) + reservations.nextBlock(System.nanoTime());
      CompletableFuture<Void> done = new CompletableFuture<>();
      store.reserve(
          channel,
          until,
          () -> {
            reservations.durableUpTo(until);
            done.complete(null);
          },
          done::completeExceptionally);
      reservations.requested = until;
      reservations.pending = done;
    }
    if (seq > reservations.durable) {
      await(channel, reservations);
    }
  }

  private void await(String channel, Channel reservations) {
    if (store.isWriterThread()) {
      throw new IllegalStateException("a commit cannot wait for itself");
    }
    try {
      reservations.pending.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      reservations.requested = reservations.durable; // ask again with the next publish
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new StoreUnavailableException(
          "the store could not reserve seq numbers for " + channel + ": " + describe(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reservations.requested = reservations.durable;
      throw new StoreUnavailableException("interrupted while reserving seq numbers", e);
    }
  }

  private static String describe(Throwable cause) {
    return cause instanceof TimeoutException
        ? "no commit within " + WAIT_SECONDS + " s"
        : String.valueOf(cause.getMessage());
  }
}
