package io.cmws.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Frames a hub sends, except {@code event}, which {@link EventMessage} encodes once per publish.
 * Shapes follow claude-mem (reference-protocol §2); fields it lacks are cmws extensions, which
 * claude-mem clients ignore. Null fields are omitted.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ServerFrame.ConnectionPending.class, name = "connection:pending"),
  @JsonSubTypes.Type(value = ServerFrame.AuthSuccess.class, name = "auth:success"),
  @JsonSubTypes.Type(value = ServerFrame.AuthFailed.class, name = "auth:failed"),
  @JsonSubTypes.Type(value = ServerFrame.Registered.class, name = "registered"),
  @JsonSubTypes.Type(value = ServerFrame.Subscribed.class, name = "subscribed"),
  @JsonSubTypes.Type(value = ServerFrame.Unsubscribed.class, name = "unsubscribed"),
  @JsonSubTypes.Type(value = ServerFrame.Published.class, name = "published"),
  @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error"),
  @JsonSubTypes.Type(value = ServerFrame.Ping.class, name = "ping"),
  @JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "pong"),
  @JsonSubTypes.Type(value = ServerFrame.HeartbeatAck.class, name = "heartbeat:ack"),
  @JsonSubTypes.Type(value = ServerFrame.TaskAssign.class, name = "task:assign"),
  @JsonSubTypes.Type(value = ServerFrame.TaskCancel.class, name = "task:cancel"),
  @JsonSubTypes.Type(value = ServerFrame.TaskSubmitted.class, name = "task:submitted"),
  @JsonSubTypes.Type(value = ServerFrame.TaskInfo.class, name = "task:info"),
  @JsonSubTypes.Type(value = ServerFrame.TaskListed.class, name = "task:listed"),
  @JsonSubTypes.Type(value = ServerFrame.TaskResult.class, name = "task:result"),
  @JsonSubTypes.Type(value = ServerFrame.WorkersInfo.class, name = "workers:info"),
  @JsonSubTypes.Type(value = ServerFrame.ChannelsInfo.class, name = "channels:info"),
  @JsonSubTypes.Type(value = ServerFrame.StatsInfo.class, name = "stats:info"),
  @JsonSubTypes.Type(value = ServerFrame.HistoryInfo.class, name = "history:info"),
  @JsonSubTypes.Type(value = ServerFrame.HubsInfo.class, name = "hubs:info"),
  @JsonSubTypes.Type(value = ServerFrame.HubAuthSuccess.class, name = "hub:auth:success"),
  @JsonSubTypes.Type(value = ServerFrame.HubAuthFailed.class, name = "hub:auth:failed"),
  @JsonSubTypes.Type(value = ServerFrame.HubRegistered.class, name = "hub:registered"),
  @JsonSubTypes.Type(value = ServerFrame.HubHeartbeatAck.class, name = "hub:heartbeat:ack"),
  @JsonSubTypes.Type(value = ServerFrame.HubTaskAssign.class, name = "hub:task:assign"),
  @JsonSubTypes.Type(value = ServerFrame.HubTaskCancel.class, name = "hub:task:cancel"),
  @JsonSubTypes.Type(value = ServerFrame.BackendShutdown.class, name = "backend:shutdown"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerFrame {

  /**
   * First frame on every connection. {@code server}, {@code version} and {@code protocol} are
   * extensions that tell cmws clients they talk to a cmws hub rather than a claude-mem backend.
   */
  record ConnectionPending(
      String clientId, boolean requiresAuth, String server, String version, Integer protocol)
      implements ServerFrame, HandWritten {
    @Override
    public String json() {
      StringBuilder out = new StringBuilder(128);
      out.append("{\"type\":\"connection:pending\"");
      member(out, "clientId", clientId);
      out.append(",\"requiresAuth\":").append(requiresAuth);
      member(out, "server", server);
      member(out, "version", version);
      if (protocol != null) {
        out.append(",\"protocol\":").append(protocol.intValue());
      }
      return out.append('}').toString();
    }
  }

  /** Browsers, SSE-writers and hubs get both fields; a worker gets neither (reference §2.4). */
  record AuthSuccess(String clientId, List<String> permissions)
      implements ServerFrame, HandWritten {
    public static AuthSuccess forWorker() {
      return new AuthSuccess(null, null);
    }

    @Override
    public String json() {
      StringBuilder out = new StringBuilder(96);
      out.append("{\"type\":\"auth:success\"");
      member(out, "clientId", clientId);
      if (permissions != null) {
        out.append(",\"permissions\":[");
        for (int i = 0; i < permissions.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          EventMessage.quote(out, permissions.get(i));
        }
        out.append(']');
      }
      return out.append('}').toString();
    }
  }

  /**
   * A frame sent once per connection or per publish, written without Jackson; each is checked to
   * equal what Jackson writes.
   */
  interface HandWritten {
    String json();
  }

  /** {@code ,"name":"value"}, or nothing for null (as {@code NON_NULL} does). */
  private static void member(StringBuilder out, String name, String value) {
    if (value != null) {
      out.append(",\"").append(name).append("\":");
      EventMessage.quote(out, value);
    }
  }

  record AuthFailed(String reason) implements ServerFrame {}

  record Registered(String workerId, List<String> assignedCapabilities) implements ServerFrame {}

  /**
   * Lists only the patterns newly added by this request, as the reference does. For a subscribe
   * with {@code recover} or {@code last} (extensions) it also says whether everything asked for was
   * replayed, how many events were, the hub's history {@code epoch} and its time.
   */
  record Subscribed(
      List<String> channels,
      Boolean recovered,
      Integer replayed,
      String epoch,
      Long serverTime,
      List<Lost> lost)
      implements ServerFrame {
    public Subscribed(List<String> channels) {
      this(channels, null, null, null, null, null);
    }

    public Subscribed(
        List<String> channels, Boolean recovered, Integer replayed, String epoch, Long serverTime) {
      this(channels, recovered, replayed, epoch, serverTime, null);
    }
  }

  /**
   * Extension, in {@code subscribed}: seq numbers {@code from..to} of {@code channel}, asked for,
   * that a crash of the hub may have lost (numbered, perhaps delivered, never stored).
   */
  record Lost(String channel, long from, long to) {}

  /** Extension: the reference sends no reply to {@code unsubscribe}. */
  record Unsubscribed(List<String> channels) implements ServerFrame {}

  /**
   * Extension: acknowledges a {@code publish}; {@code seq} is the event's number on its channel.
   */
  record Published(String id, String channel, long seq) implements ServerFrame, HandWritten {
    @Override
    public String json() {
      StringBuilder out = new StringBuilder(48 + channel.length());
      out.append("{\"type\":\"published\"");
      member(out, "id", id);
      out.append(",\"channel\":");
      EventMessage.quote(out, channel);
      return out.append(",\"seq\":").append(seq).append('}').toString();
    }
  }

  /**
   * {@code message} is what claude-mem clients read. {@code code} (an {@link ErrorCode} name),
   * {@code permission} (the one missing), {@code request} (the offending frame's type) and {@code
   * id} (a publish id) are extensions.
   */
  record Error(String message, String code, String request, String permission, String id)
      implements ServerFrame {
    public static Error of(ErrorCode code, String message) {
      return new Error(message, code.wireName(), null, null, null);
    }
  }

  record Ping() implements ServerFrame {}

  record Pong() implements ServerFrame {}

  /** The reference declares {@code serverTime} but never sends it; we do. */
  record HeartbeatAck(Long serverTime) implements ServerFrame {}

  /**
   * A task for a worker, in the backend's shape: {@code capability} carries the task type
   * (reference §2.4). The {@code task} object adds {@code attempt}, {@code timeoutMs}, the task's
   * required {@code capability} and its {@code priority}, which claude-mem workers ignore.
   */
  record TaskAssign(AssignedTask task, String capability) implements ServerFrame {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AssignedTask(
      String id,
      String type,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode payload,
      Integer attempt,
      Long timeoutMs,
      String capability,
      Integer priority) {}

  /** To a worker: stop working on this task (its slot is already free). */
  record TaskCancel(String taskId, String reason) implements ServerFrame {}

  record TaskSubmitted(String id, String taskId, boolean deduplicated) implements ServerFrame {}

  /** Reply to {@code task:get} and {@code task:cancel}: the task as it is now. */
  record TaskInfo(String id, JsonNode task) implements ServerFrame {}

  record TaskListed(String id, List<JsonNode> tasks) implements ServerFrame {}

  /** Introspection reply: one object per registered worker. */
  record WorkersInfo(String id, List<JsonNode> workers) implements ServerFrame {}

  /**
   * Introspection reply: channels published on (with seq and matching subscribers) and patterns.
   */
  record ChannelsInfo(String id, List<JsonNode> channels, List<JsonNode> patterns)
      implements ServerFrame {}

  record StatsInfo(String id, JsonNode stats) implements ServerFrame {}

  /** Reply to {@code history}: the kept events of a channel, oldest first, as event frames. */
  record HistoryInfo(
      String id, String channel, String epoch, boolean complete, List<JsonNode> events)
      implements ServerFrame {}

  /** To a submitter that asked to be notified: the task finished. */
  record TaskResult(String taskId, String state, JsonNode result, String error, Integer attempt)
      implements ServerFrame {}

  /** Introspection reply: the local pool and every federated hub. */
  record HubsInfo(String id, List<JsonNode> hubs) implements ServerFrame {}

  /** Federation (reference §6.2): to a hub on {@code /ws/hub}, its auth was accepted. */
  record HubAuthSuccess() implements ServerFrame {}

  record HubAuthFailed(String reason) implements ServerFrame {}

  /** {@code name} (extension, on {@code /ws} only): the parent's own hub name, for {@code via}. */
  record HubRegistered(String hubId, String name) implements ServerFrame {}

  record HubHeartbeatAck() implements ServerFrame {}

  /**
   * A task for a federated hub, flat as the reference sends it; {@code capability} is a real
   * capability. {@code attempt}, {@code timeoutMs} and {@code priority} are cmws extensions a cmws
   * child uses and claude-mem's hub ignores.
   */
  record HubTaskAssign(
      String taskId,
      String taskType,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode payload,
      String capability,
      Integer attempt,
      Long timeoutMs,
      Integer priority)
      implements ServerFrame {}

  record HubTaskCancel(String taskId, String reason) implements ServerFrame {}

  /** Before the parent closes a hub's link with 1001 "Backend shutdown". */
  record BackendShutdown() implements ServerFrame {}
}
