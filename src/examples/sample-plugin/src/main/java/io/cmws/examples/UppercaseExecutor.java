package io.cmws.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cmws.executor.TaskContext;
import io.cmws.executor.TaskExecutor;
import io.cmws.executor.TaskFailedException;
import java.util.Locale;

/**
 * The sample plugin executor {@code uppercase}: the payload text (a string, or {@code
 * {"text":...}}) in capitals. Use it with {@code cmws worker --plugin DIR --executor
 * 'upper=java:uppercase'}.
 */
public final class UppercaseExecutor implements TaskExecutor {

  @Override
  public String name() {
    return "uppercase";
  }

  @Override
  public JsonNode execute(TaskContext task) throws TaskFailedException {
    JsonNode payload = task.payload();
    JsonNode text = payload.isTextual() ? payload : payload.path("text");
    if (!text.isTextual()) {
      throw new TaskFailedException(
          "uppercase needs a string payload or {\"text\": \"...\"}", false);
    }
    task.progress(50, "converting");
    return JsonNodeFactory.instance.textNode(text.asText().toUpperCase(Locale.ROOT));
  }
}
