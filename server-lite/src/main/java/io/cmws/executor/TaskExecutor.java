package io.cmws.executor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one task on a worker. Implementations are found in plugin jars with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.cmws.executor.TaskExecutor}) and chosen
 * with {@code cmws worker --executor KEY=java:NAME}.
 *
 * <p>{@link #execute} runs on a worker thread, one call per task, possibly several at once. It
 * returns the result (any JSON) or throws {@link TaskFailedException}; any other exception is a
 * retryable failure. On cancellation or timeout the thread is interrupted and {@link
 * TaskContext#isCancelled()} turns true: return or throw promptly.
 */
public interface TaskExecutor {

  /** The name used in {@code --executor KEY=java:NAME}. */
  String name();

  JsonNode execute(TaskContext task) throws Exception;
}
