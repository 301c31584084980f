package io.cmws.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.executor.TaskContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A task context for calling executors directly. */
final class FakeContext implements TaskContext {
  final JsonNode payload;
  final Duration timeout;
  final List<String> progress = new CopyOnWriteArrayList<>();

  FakeContext(JsonNode payload, Duration timeout) {
    this.payload = payload;
    this.timeout = timeout;
  }

  @Override
  public String taskId() {
    return "t-1";
  }

  @Override
  public String type() {
    return "demo";
  }

  @Override
  public String capability() {
    return "demo:cap";
  }

  @Override
  public int attempt() {
    return 2;
  }

  @Override
  public JsonNode payload() {
    return payload;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public void progress(double percent, String message) {
    progress.add(percent + " " + message);
  }

  @Override
  public boolean isCancelled() {
    return Thread.currentThread().isInterrupted();
  }
}
