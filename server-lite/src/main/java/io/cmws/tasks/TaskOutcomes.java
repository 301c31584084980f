package io.cmws.tasks;

import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.TaskQueue.Transition;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What follows a state change: the channel event, the outcome count, the submitter's quota, the
 * other hubs' signal, and the {@code task:result} for a client that watches the task. Not
 * thread-safe: the dispatcher's lock guards it.
 */
final class TaskOutcomes {
  private final TaskQueue queue;
  private final TaskEvents events;
  private final SubmitterQuota quota;
  private final Map<String, TaskPeer> watchers = new HashMap<>();
  private final Map<String, Long> counts = new TreeMap<>();
  private TaskSignals signals = TaskSignals.NONE;

  TaskOutcomes(TaskQueue queue, TaskEvents events, SubmitterQuota quota) {
    this.queue = queue;
    this.events = events;
    this.quota = quota;
  }

  void signals(TaskSignals newSignals) {
    this.signals = newSignals;
  }

  void submitted(String taskId, String type) {
    events.queued(taskId, type);
    counts.merge("submitted", 1L, Long::sum);
  }

  /** {@code watcher} (if any) gets {@code task:result} when the task finishes. */
  void watch(String taskId, TaskPeer watcher) {
    if (watcher != null) {
      watchers.put(taskId, watcher);
    }
  }

  /** Publishes a state change and, for a final one, tells the watcher. */
  void changed(Transition transition) {
    events.transition(transition);
    if (transition.changed()) {
      counts.merge(transition.kind().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
    }
    Transition.Kind kind = transition.kind();
    if (kind == Transition.Kind.REQUEUED) {
      signals.waiting();
    }
    if (kind == Transition.Kind.COMPLETED
        || kind == Transition.Kind.FAILED
        || kind == Transition.Kind.CANCELLED) {
      quota.released(transition.taskId());
      signals.finished(transition.taskId());
      TaskPeer watcher = watchers.remove(transition.taskId());
      if (watcher != null) {
        Optional<Task> task = queue.get(transition.taskId());
        watcher.send(
            new ServerFrame.TaskResult(
                transition.taskId(),
                task.map(t -> t.state().wireName()).orElse(kind.name().toLowerCase(Locale.ROOT)),
                task.map(Task::result).orElse(null),
                transition.error(),
                transition.attempt()));
      }
    }
  }

  /** A task finished on another hub: its watcher here gets the result. */
  void finishedElsewhere(String taskId) {
    quota.released(taskId);
    TaskPeer watcher = watchers.get(taskId);
    if (watcher == null) {
      return;
    }
    Optional<Task> task = queue.get(taskId);
    if (task.isPresent() && task.get().state().isFinished()) {
      watchers.remove(taskId);
      Task t = task.get();
      watcher.send(
          new ServerFrame.TaskResult(
              taskId, t.state().wireName(), t.result(), t.error(), t.attempt()));
    }
  }

  /** Signals may have been missed: answers watchers whose tasks finished meanwhile. */
  void resync() {
    for (String taskId : List.copyOf(watchers.keySet())) {
      finishedElsewhere(taskId);
    }
  }

  Map<String, Long> counts() {
    return Map.copyOf(counts);
  }
}
