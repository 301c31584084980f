package io.cmws.redis;

import io.cmws.tasks.TaskSignals;

/**
 * The task dispatchers' signals as short pub/sub messages on the event bus's connection: {@code W}
 * (tasks waiting), {@code F <taskId>} (finished), {@code T <taskId> <workerId> <attempt> <reason>}
 * (taken away). Pub/sub may lose a message while a hub is cut off; the hub's task timer and the
 * {@code M} after a reconnect cover that.
 */
public final class RedisTaskSignals implements TaskSignals {
  private final RedisEventBus bus;

  public RedisTaskSignals(RedisEventBus bus) {
    this.bus = bus;
  }

  @Override
  public void waiting() {
    bus.signal("W");
  }

  @Override
  public void finished(String taskId) {
    bus.signal("F " + taskId);
  }

  @Override
  public void takenAway(String taskId, String workerId, int attempt, String reason) {
    bus.signal("T " + taskId + " " + workerId + " " + attempt + " " + reason);
  }

  @Override
  public void listen(Listener listener) {
    bus.onSignal(
        message -> {
          String[] parts = message.split(" ", 5);
          switch (parts[0]) {
            case "W" -> listener.waiting();
            case "F" -> listener.finished(parts[1]);
            case "T" ->
                listener.takenAway(
                    parts[1],
                    parts[2],
                    Integer.parseInt(parts[3]),
                    parts.length > 4 ? parts[4] : "cancelled");
            case "M" -> listener.missedSome();
            default -> {}
          }
        });
  }
}
