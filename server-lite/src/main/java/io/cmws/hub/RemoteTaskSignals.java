package io.cmws.hub;

import io.cmws.tasks.TaskDispatcher;
import io.cmws.tasks.TaskSignals;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the other hubs' dispatchers signal through the shared queue, handed to this hub's dispatcher
 * on the task lane. The signals arrive on the queue's subscriber thread.
 */
final class RemoteTaskSignals implements TaskSignals.Listener {
  private final TaskDispatcher dispatcher;
  private final TaskLane lane;
  private final AtomicBoolean dispatchQueued = new AtomicBoolean();

  RemoteTaskSignals(TaskDispatcher dispatcher, TaskLane lane) {
    this.dispatcher = dispatcher;
    this.lane = lane;
  }

  @Override
  public void waiting() {
    lane.once(dispatchQueued, "task wake-up", dispatcher::remoteWaiting);
  }

  @Override
  public void finished(String taskId) {
    lane.execute("task result", () -> dispatcher.remoteFinished(taskId));
  }

  @Override
  public void takenAway(String taskId, String workerId, int attempt, String reason) {
    lane.execute(
        "task taken away", () -> dispatcher.remoteTakenAway(taskId, workerId, attempt, reason));
  }

  @Override
  public void missedSome() {
    lane.execute("task resync", dispatcher::remoteMissedSome);
  }
}
