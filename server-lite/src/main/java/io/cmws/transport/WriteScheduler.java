package io.cmws.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks the selector thread to write events, for many connections at once and at most once per
 * {@link #WINDOW_NANOS}. On loopback the kernel's cost per TCP write dominates fan-out: a stream of
 * events to a thousand subscribers is one write per subscriber per event unless events that arrive
 * close together share a write. The first request after a quiet window goes out at once; under
 * steady traffic events wait at most one window. Replies do not pass through here. Thread-safe;
 * sleeps while there is nothing to write.
 */
final class WriteScheduler implements AutoCloseable {
  static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final ConcurrentLinkedQueue<WsFrameSink> requested = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean armed = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean running = true;
  private long lastRound = System.nanoTime() - WINDOW_NANOS;

  WriteScheduler() {
    thread = new Thread(this::run, "cmws-write-scheduler");
    thread.setDaemon(true);
    thread.start();
  }

  /** {@code sink} has events waiting; its write is requested within the window. */
  void request(WsFrameSink sink) {
    sink.scheduled(true);
    requested.add(sink);
    if (armed.compareAndSet(false, true)) {
      LockSupport.unpark(thread);
    }
  }

  private void run() {
    while (running) {
      if (!armed.get()) {
        LockSupport.park(this);
        continue;
      }
      long wait = lastRound + WINDOW_NANOS - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait); // let this window's requests gather
        continue;
      }
      lastRound = System.nanoTime();
      armed.set(false); // a request from now on arms the next round; earlier ones are drained here
      for (WsFrameSink sink = requested.poll(); sink != null; sink = requested.poll()) {
        sink.scheduled(false);
        sink.demandWrite();
      }
    }
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
  }
}
