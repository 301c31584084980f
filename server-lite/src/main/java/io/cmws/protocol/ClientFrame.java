package io.cmws.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Frames a client sends to a hub. The claude-mem types keep their reference field names; {@code
 * publish} is a cmws extension. The hub decodes them with {@link FrameDecoder}, which validates
 * every field; clients encode them with {@link Json#write(Object)}. Absent fields are omitted on
 * the wire, never sent as null: a claude-mem backend treats a present {@code capabilities} or a
 * {@code token} as a worker.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ClientFrame.Auth.class, name = "auth"),
  @JsonSubTypes.Type(value = ClientFrame.Register.class, name = "register"),
  @JsonSubTypes.Type(value = ClientFrame.Subscribe.class, name = "subscribe"),
  @JsonSubTypes.Type(value = ClientFrame.Unsubscribe.class, name = "unsubscribe"),
  @JsonSubTypes.Type(value = ClientFrame.Publish.class, name = "publish"),
  @JsonSubTypes.Type(value = ClientFrame.Ping.class, name = "ping"),
  @JsonSubTypes.Type(value = ClientFrame.Pong.class, name = "pong"),
  @JsonSubTypes.Type(value = ClientFrame.Heartbeat.class, name = "heartbeat"),
  @JsonSubTypes.Type(value = ClientFrame.TaskProgress.class, name = "task:progress"),
  @JsonSubTypes.Type(value = ClientFrame.TaskComplete.class, name = "task:complete"),
  @JsonSubTypes.Type(value = ClientFrame.TaskError.class, name = "task:error"),
  @JsonSubTypes.Type(value = ClientFrame.Shutdown.class, name = "shutdown"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ClientFrame {

  /** Identifies the client; its fields decide the client type (reference-protocol §3.2). */
  record Auth(
      String clientType,
      String token,
      List<String> capabilities,
      String sessionId,
      String project,
      String workingDirectory,
      String systemId)
      implements ClientFrame {
    public static Auth browser(String token) {
      return new Auth("browser", token, null, null, null, null, null);
    }
  }

  record Register(List<String> capabilities, JsonNode metadata) implements ClientFrame {}

  record Subscribe(List<String> channels) implements ClientFrame {}

  record Unsubscribe(List<String> channels) implements ClientFrame {}

  /** cmws extension: publish {@code data} on {@code channel}; {@code id} is echoed in the ack. */
  record Publish(String channel, @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode data, String id)
      implements ClientFrame {}

  record Ping() implements ClientFrame {}

  record Pong() implements ClientFrame {}

  record Heartbeat(String workerId, List<String> currentTasks) implements ClientFrame {}

  record TaskProgress(String taskId, String workerId, Double progress, String message)
      implements ClientFrame {}

  record TaskComplete(String taskId, String workerId, JsonNode result, Long processingTimeMs)
      implements ClientFrame {}

  record TaskError(String taskId, String workerId, String error, String stack, Boolean retryable)
      implements ClientFrame {}

  record Shutdown(String workerId, String reason) implements ClientFrame {}
}
