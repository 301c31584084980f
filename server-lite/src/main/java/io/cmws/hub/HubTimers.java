package io.cmws.hub;

import io.cmws.tasks.TaskDispatcher;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's recurring work on the caller's scheduler: the liveness tick and the task timer (leases,
 * retries due). A tick that throws is logged and the next one runs anyway.
 */
final class HubTimers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HubTimers.class);

  private final ScheduledFuture<?> heartbeat;
  private final ScheduledFuture<?> taskTimer;

  HubTimers(
      ScheduledExecutorService scheduler,
      HubConfig config,
      LivenessMonitor liveness,
      LongSupplier nanoTime,
      TaskDispatcher dispatcher,
      TaskLane lane) {
    Duration interval = config.heartbeatInterval();
    this.heartbeat =
        scheduler.scheduleAtFixedRate(
            () -> {
              try {
                liveness.tick(nanoTime.getAsLong());
              } catch (RuntimeException e) {
                LOG.error("heartbeat failed", e);
              }
            },
            interval.toNanos(),
            interval.toNanos(),
            TimeUnit.NANOSECONDS);
    long tick = config.tasks().tick().toNanos();
    AtomicBoolean tickQueued = new AtomicBoolean();
    this.taskTimer =
        scheduler.scheduleAtFixedRate(
            () -> lane.once(tickQueued, "task timer", dispatcher::tick),
            tick,
            tick,
            TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    heartbeat.cancel(false);
    taskTimer.cancel(false);
  }
}
