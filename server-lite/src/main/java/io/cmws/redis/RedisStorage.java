package io.cmws.redis;

import io.cmws.hub.EventBus;
import io.cmws.hub.HubStorage;
import io.cmws.tasks.TaskQueue;
import io.cmws.tasks.TaskSignals;
import io.cmws.tasks.TasksConfig;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channels, history and tasks shared by every hub on one Redis: the bus numbers and spreads events
 * and holds the epoch, the queue and its signals are shared. Nothing is kept on this machine.
 */
public final class RedisStorage implements HubStorage {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStorage.class);

  private final RedisEventBus bus;
  private final RedisTaskQueue queue;
  private final RedisTaskSignals signals;

  private RedisStorage(RedisEventBus bus, RedisTaskQueue queue, RedisTaskSignals signals) {
    this.bus = bus;
    this.queue = queue;
    this.signals = signals;
  }

  /** Connects; throws {@link RedisUnavailableException} if Redis cannot be reached. */
  public static RedisStorage connect(RedisSettings settings, TasksConfig tasks, int historySize) {
    RedisEventBus bus = RedisEventBus.connect(settings, historySize);
    return new RedisStorage(
        bus,
        RedisTaskQueue.sharing(bus, tasks.defaults(), tasks.maxWaiting()),
        new RedisTaskSignals(bus));
  }

  @Override
  public TaskQueue queue() {
    return queue;
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public String epoch() {
    return bus.epoch();
  }

  @Override
  public Optional<EventBus> bus() {
    return Optional.of(bus);
  }

  @Override
  public TaskSignals signals() {
    return signals;
  }

  @Override
  public void pruneFinishedBefore(long cutoffMillis) {
    try {
      queue.prune(cutoffMillis);
    } catch (RuntimeException e) {
      LOG.warn("pruning finished tasks in Redis failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    bus.close();
  }
}
