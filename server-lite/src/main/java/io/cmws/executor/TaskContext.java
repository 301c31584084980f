package io.cmws.executor;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** What an executor knows about the task it runs. Thread-safe. */
public interface TaskContext {
  String taskId();

  String type();

  /** The capability the task was routed by; the task type when the hub does not say. */
  String capability();

  /** 1 for the first attempt; 0 when the hub does not say (claude-mem). */
  int attempt();

  JsonNode payload();

  /** How long this attempt may run before the worker stops it. */
  Duration timeout();

  /** Reports progress (0-100) to the hub, which also extends the task's lease. */
  void progress(double percent, String message);

  boolean isCancelled();
}
