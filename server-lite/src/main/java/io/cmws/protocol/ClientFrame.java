package io.cmws.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
  @JsonSubTypes.Type(value = ClientFrame.TaskSubmit.class, name = "task:submit"),
  @JsonSubTypes.Type(value = ClientFrame.TaskGet.class, name = "task:get"),
  @JsonSubTypes.Type(value = ClientFrame.TaskList.class, name = "task:list"),
  @JsonSubTypes.Type(value = ClientFrame.TaskCancel.class, name = "task:cancel"),
  @JsonSubTypes.Type(value = ClientFrame.Drain.class, name = "drain"),
  @JsonSubTypes.Type(value = ClientFrame.Workers.class, name = "workers"),
  @JsonSubTypes.Type(value = ClientFrame.Channels.class, name = "channels"),
  @JsonSubTypes.Type(value = ClientFrame.Stats.class, name = "stats"),
  @JsonSubTypes.Type(value = ClientFrame.History.class, name = "history"),
  @JsonSubTypes.Type(value = ClientFrame.Hubs.class, name = "hubs"),
  @JsonSubTypes.Type(value = ClientFrame.HubRegister.class, name = "hub:register"),
  @JsonSubTypes.Type(value = ClientFrame.HubHealth.class, name = "hub:health"),
  @JsonSubTypes.Type(value = ClientFrame.HubTaskComplete.class, name = "hub:task:complete"),
  @JsonSubTypes.Type(value = ClientFrame.HubTaskError.class, name = "hub:task:error"),
  @JsonSubTypes.Type(value = ClientFrame.HubTaskProgress.class, name = "hub:task:progress"),
  @JsonSubTypes.Type(value = ClientFrame.HubShutdown.class, name = "hub:shutdown"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ClientFrame {

  /** The wire {@code type} of a frame, e.g. {@code task:submit}. */
  static String typeName(ClientFrame frame) {
    return TypeNames.BY_CLASS.get(frame.getClass());
  }

  /** The {@code type} names of {@link JsonSubTypes}, read once. */
  final class TypeNames {
    private static final Map<Class<?>, String> BY_CLASS = new HashMap<>();

    static {
      for (JsonSubTypes.Type type : ClientFrame.class.getAnnotation(JsonSubTypes.class).value()) {
        BY_CLASS.put(type.value(), type.name());
      }
    }

    private TypeNames() {}
  }

  /**
   * Identifies the client; its fields decide the client type (reference-protocol §3.2). {@code
   * agent} is a cmws extension naming the program (claude-mem ignores it): {@code cmws-cli} gets a
   * {@code cli-} id on a cmws hub.
   */
  record Auth(
      String clientType,
      String token,
      List<String> capabilities,
      String sessionId,
      String project,
      String workingDirectory,
      String systemId,
      String agent)
      implements ClientFrame {
    public static final String CLI_AGENT = "cmws-cli";

    public static Auth browser(String token) {
      return new Auth("browser", token, null, null, null, null, null, null);
    }

    /** A cmws command-line tool: browser permissions, as claude-mem sees it, and a cli- id. */
    public static Auth cli(String token) {
      return new Auth("browser", token, null, null, null, null, null, CLI_AGENT);
    }
  }

  /**
   * {@code metadata.name} (a cmws extension) names the worker: on a cmws hub its id becomes
   * NAME-&lt;n&gt;-...
   */
  record Register(List<String> capabilities, JsonNode metadata) implements ClientFrame {
    private static final Pattern WORKER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");

    /** Letters, digits, '.', '_' and '-', 1 to 40, starting with a letter or digit. */
    public static boolean isWorkerName(String name) {
      return name != null && WORKER_NAME.matcher(name).matches();
    }
  }

  /**
   * {@code recover} and {@code last} are cmws extensions: replay what was missed, or the last N
   * events, before the live ones ({@code last: 0} replays nothing but reports the epoch).
   */
  record Subscribe(List<String> channels, Recover recover, Integer last) implements ClientFrame {
    public Subscribe(List<String> channels) {
      this(channels, null, null);
    }
  }

  /**
   * Where a resuming subscriber left off: the last {@code seq} seen per channel under {@code
   * epoch}, and for channels it has no position for, the time ({@code after}, epoch ms) it
   * subscribed.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Recover(String epoch, Map<String, Long> since, Long after) {}

  record Unsubscribe(List<String> channels) implements ClientFrame {}

  /**
   * cmws extension: publish {@code data} on {@code channel}; {@code id} is echoed in the ack. A
   * federated hub forwarding an event names the hubs it came through in {@code via}, origin first.
   * {@code dataJson}, never sent, is {@code data} as the client wrote it, when the hub found it.
   */
  record Publish(
      String channel,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode data,
      String id,
      List<String> via,
      @JsonIgnore String dataJson)
      implements ClientFrame {
    public Publish(String channel, JsonNode data, String id) {
      this(channel, data, id, null, null);
    }

    public Publish(String channel, JsonNode data, String id, List<String> via) {
      this(channel, data, id, via, null);
    }

    /** The same publish, with {@code data}'s text from the frame the client sent. */
    public Publish withDataJson(String text) {
      return new Publish(channel, data, id, via, text);
    }
  }

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

  /**
   * cmws extension: queue a task. Unset fields take the per-type defaults; {@code capability}
   * defaults to {@code taskType}. With {@code watch} the hub sends {@code task:result} to this
   * connection when the task finishes. {@code id} correlates the reply. {@code preferHub}, {@code
   * region} and {@code labels} narrow the federated pools the task may go to, where any matches.
   */
  record TaskSubmit(
      String taskType,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode payload,
      String capability,
      List<String> fallbackCapabilities,
      Integer priority,
      Integer maxRetries,
      Long timeoutMs,
      String deduplicationKey,
      String clientId,
      Boolean watch,
      String id,
      String preferHub,
      String region,
      Map<String, String> labels)
      implements ClientFrame {}

  /** cmws extension: one task's state; answered by {@code task:info}. */
  record TaskGet(String taskId, String id) implements ClientFrame {}

  /** cmws extension: recent tasks, optionally in one state; answered by {@code task:listed}. */
  record TaskList(String state, Integer limit, String id) implements ClientFrame {}

  /** cmws extension (client to hub): cancel a task; answered by {@code task:info}. */
  record TaskCancel(String taskId, String reason, String id) implements ClientFrame {}

  /** cmws extension: a worker stops taking new tasks while it finishes the running ones. */
  record Drain(String workerId) implements ClientFrame {}

  /**
   * cmws introspection (permission {@code admin}): registered workers; answered by {@code
   * workers:info}.
   */
  record Workers(String id) implements ClientFrame {}

  /**
   * cmws introspection: channels and patterns with subscriber counts; answered by {@code
   * channels:info}.
   */
  record Channels(String id) implements ClientFrame {}

  /** cmws introspection: counters and gauges; answered by {@code stats:info}. */
  record Stats(String id) implements ClientFrame {}

  /**
   * cmws extension (permission {@code subscribe}): a channel's kept events; answered by {@code
   * history:info}.
   */
  record History(String channel, Integer last, String id) implements ClientFrame {}

  /** cmws introspection: federated hubs and the local pool; answered by {@code hubs:info}. */
  record Hubs(String id) implements ClientFrame {}

  /**
   * Federation (reference §6.2): a hub joins as a worker pool. {@code freeSlots} is a cmws
   * extension; claude-mem's hub sends its real capabilities only with {@code hub:health}.
   */
  record HubRegister(
      String name,
      String region,
      Map<String, String> labels,
      List<String> capabilities,
      Integer freeSlots)
      implements ClientFrame {}

  /**
   * A hub's health, every 30 s (the only liveness signal on {@code /ws/hub}). {@code freeSlots}
   * (slots free for more work) and {@code running} (task ids it holds) are cmws extensions.
   */
  record HubHealth(
      String status,
      Integer connectedWorkers,
      Integer activeWorkers,
      Double avgLatencyMs,
      List<String> capabilities,
      Integer freeSlots,
      List<String> running)
      implements ClientFrame {}

  /** {@code attempt} and {@code workerId} (the child's worker that ran it) are cmws extensions. */
  record HubTaskComplete(
      String taskId, JsonNode result, Long processingTimeMs, Integer attempt, String workerId)
      implements ClientFrame {}

  record HubTaskError(
      String taskId, String error, Boolean retryable, Integer attempt, String workerId)
      implements ClientFrame {}

  record HubTaskProgress(String taskId, Double progress, String message, Integer attempt)
      implements ClientFrame {}

  /** The hub leaves; the parent closes with 1000 "Hub shutdown". */
  record HubShutdown(String reason) implements ClientFrame {}
}
