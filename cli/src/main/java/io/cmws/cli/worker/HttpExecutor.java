package io.cmws.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.executor.TaskContext;
import io.cmws.executor.TaskExecutor;
import io.cmws.executor.TaskFailedException;
import io.cmws.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * POSTs {@code {id, type, capability, attempt, payload}} as JSON to a URL. A 2xx body is the result
 * (JSON if it parses, else a string; empty is null); 5xx, timeouts and network errors are
 * retryable, 4xx is not.
 */
final class HttpExecutor implements TaskExecutor {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  private final URI url;

  HttpExecutor(URI url) {
    this.url = url;
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public JsonNode execute(TaskContext task) throws TaskFailedException, InterruptedException {
    var body =
        Json.object()
            .put("id", task.taskId())
            .put("type", task.type())
            .put("capability", task.capability())
            .put("attempt", task.attempt());
    body.set("payload", task.payload());
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(task.timeout())
            .header("Content-Type", "application/json")
            .header("X-Cmws-Task-Id", task.taskId())
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
            .build();
    HttpResponse<String> response;
    try {
      response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new TaskFailedException(
          "POST " + url + " timed out after " + task.timeout().toMillis() + " ms", true, e);
    } catch (IOException e) {
      throw new TaskFailedException("POST " + url + " failed: " + e, true, e);
    }
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.body().strip();
    if (status >= 200 && status < 300) {
      return text.isEmpty() ? null : Json.parseOrString(text);
    }
    String snippet = text.length() > 500 ? text.substring(0, 500) + "..." : text;
    throw new TaskFailedException(
        "POST " + url + " answered " + status + (snippet.isEmpty() ? "" : ": " + snippet),
        status >= 500 || status == 408 || status == 429);
  }
}
