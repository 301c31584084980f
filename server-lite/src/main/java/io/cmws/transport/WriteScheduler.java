package io.cmws.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs write requests for many connections at once and at most once per {@link #WINDOW_NANOS}. On
 * loopback the kernel's cost per TCP write dominates fan-out: a stream of events to a thousand
 * subscribers is one write per subscriber per event unless events that arrive close together share
 * a write. The first request after a quiet window runs at once; under steady traffic requests wait
 * at most one window. Requests come from any thread; they run on the scheduler's own thread, which
 * sleeps while there is nothing to do.
 */
final class WriteScheduler implements AutoCloseable {
  static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final ConcurrentLinkedQueue<Runnable> requested = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean armed = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean running = true;
  private long lastRound = System.nanoTime() - WINDOW_NANOS;

  WriteScheduler() {
    thread = new Thread(this::run, "cmws-write-scheduler");
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code write} within the window; it must be quick (it only asks for a write). */
  void request(Runnable write) {
    requested.add(write);
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
      armed.set(false); // a request from now on arms the next round; earlier ones run here
      for (Runnable write = requested.poll(); write != null; write = requested.poll()) {
        write.run();
      }
    }
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
  }
}
