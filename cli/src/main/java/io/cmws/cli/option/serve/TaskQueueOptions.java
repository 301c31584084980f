package io.cmws.cli.option.serve;

import io.cmws.tasks.RetryPolicy;
import io.cmws.tasks.TaskDefaults;
import io.cmws.tasks.TasksConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code cmws serve}: the task queue's size and retry policy. */
public final class TaskQueueOptions {
  @Option(
      names = "--max-waiting-tasks",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_WAITING_TASKS:-10000}",
      description = "Refuse task:submit while this many tasks wait (default ${DEFAULT-VALUE}).")
  int maxWaitingTasks;

  @Option(
      names = "--retry-policy",
      paramLabel = "TYPE=INITIAL,MAX,JITTER",
      description =
          "Backoff before retrying a failed task of TYPE ('*' for every other type), e.g."
              + " 'observation=500ms,30s,0.1'. Defaults are claude-mem's (1s,60s,0.2 for other"
              + " types). Repeatable.")
  List<String> retryPolicies = new ArrayList<>();

  public TasksConfig tasks() {
    return TasksConfig.standard().withMaxWaiting(maxWaitingTasks).withDefaults(defaults());
  }

  private TaskDefaults defaults() {
    RetryPolicy fallback = TaskDefaults.DEFAULT_RETRY;
    Map<String, RetryPolicy> byType = new HashMap<>();
    for (String spec : retryPolicies) {
      int eq = spec.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--retry-policy must look like TYPE=INITIAL,MAX,JITTER, got '" + spec + "'");
      }
      RetryPolicy policy = RetryPolicy.parse(spec.substring(eq + 1));
      if (spec.substring(0, eq).equals("*")) {
        fallback = policy;
      } else {
        byType.put(spec.substring(0, eq), policy);
      }
    }
    return new TaskDefaults(fallback, byType);
  }
}
