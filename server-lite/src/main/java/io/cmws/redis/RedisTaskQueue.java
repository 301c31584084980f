package io.cmws.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.Json;
import io.cmws.tasks.RetryPolicy;
import io.cmws.tasks.Task;
import io.cmws.tasks.TaskDefaults;
import io.cmws.tasks.TaskQueue;
import io.cmws.tasks.TaskRequest;
import io.cmws.tasks.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The task queue shared by every hub on one Redis, with the embedded queue's semantics: per
 * capability, best priority then oldest first, fallbacks, leases, fenced attempts, retries with
 * backoff, dead-lettering, cancellation, deduplication keys and a waiting limit. Every state change
 * is one Lua script, so it is atomic across hubs: two hubs can race for a task and exactly one gets
 * it; a lease that runs out is requeued by whichever hub looks first.
 *
 * <p>Keys under the prefix: {@code t:<id>} (hash per task), {@code q:<capability>} (waiting, sorted
 * by rank), {@code delayed} and {@code leases} (sorted by due time), {@code tasks} (all, by seq),
 * {@code finished} (by completion time, for retention), {@code dedup:<key>}, counters {@code
 * waiting} and {@code taskseq}. Standalone Redis only: the scripts derive key names.
 */
public final class RedisTaskQueue implements TaskQueue {
  /** Rank = (RANGE - priority) * 2^32 + seq stays an exact double up to 2^53. */
  private static final long PRIORITY_RANGE = 999_999;

  private static final int MAX_SCAN = 10_000;

  private static final LuaScript SUBMIT = LuaScript.fromResources("task-submit.lua");

  /** The best waiting task over the given capabilities: {id, capability list}, or nil. */
  private static final LuaScript PEEK = LuaScript.fromResources("task-peek.lua");

  private static final LuaScript TAKE =
      LuaScript.fromResources("task-current.lua", "task-take.lua");

  private static final LuaScript COMPLETE =
      LuaScript.fromResources("task-current.lua", "task-complete.lua");

  /**
   * ARGV: prefix, id, attempt, error, retryable (1/0), now, delay ms; the final decision is made
   * here.
   */
  private static final LuaScript FAIL =
      LuaScript.fromResources("task-current.lua", "task-fail.lua");

  private static final LuaScript DECLINE =
      LuaScript.fromResources("task-current.lua", "task-decline.lua");

  private static final LuaScript ABANDON =
      LuaScript.fromResources("task-current.lua", "task-abandon.lua");

  private static final LuaScript EXTEND =
      LuaScript.fromResources("task-current.lua", "task-extend.lua");

  private static final LuaScript CANCEL =
      LuaScript.fromResources("task-current.lua", "task-cancel.lua");

  /**
   * Leases run out by now: {id, attempt, workerId, ...}; entries of tasks no longer assigned are
   * dropped.
   */
  private static final LuaScript EXPIRED = LuaScript.fromResources("task-expired.lua");

  private static final LuaScript PROMOTE =
      LuaScript.fromResources("task-current.lua", "task-promote.lua");

  /** Drops tasks that finished before the cutoff; returns how many. */
  private static final LuaScript PRUNE = LuaScript.fromResources("task-prune.lua");

  private final JedisPooled redis;
  private final String prefix;
  private final int maxWaiting;
  private final TaskDefaults defaults;
  private final DoubleSupplier jitter;

  /** The queue of the hubs on {@code bus}'s Redis and prefix, over the bus's connections. */
  public static RedisTaskQueue sharing(RedisEventBus bus, TaskDefaults defaults, int maxWaiting) {
    return new RedisTaskQueue(bus.redis(), bus.prefix(), defaults, maxWaiting);
  }

  RedisTaskQueue(JedisPooled redis, String prefix, TaskDefaults defaults, int maxWaiting) {
    this.redis = redis;
    this.prefix = prefix;
    this.defaults = defaults;
    this.maxWaiting = maxWaiting;
    this.jitter = () -> ThreadLocalRandom.current().nextDouble(-1, 1);
  }

  @Override
  public Submitted submit(TaskRequest request, long now) {
    List<String> caps = new ArrayList<>();
    caps.add(request.capability());
    request.fallbackCapabilities().stream().filter(c -> !caps.contains(c)).forEach(caps::add);
    long priority = Math.max(-PRIORITY_RANGE, Math.min(PRIORITY_RANGE, request.priority()));
    List<Object> reply;
    try {
      reply =
          list(
              run(
                  SUBMIT,
                  prefix,
                  UUID.randomUUID().toString(),
                  Json.write(request.toJson()),
                  request.type(),
                  String.join(" ", caps),
                  Long.toString(PRIORITY_RANGE - priority),
                  request.deduplicationKey() == null ? "" : request.deduplicationKey(),
                  Long.toString(now),
                  Integer.toString(maxWaiting)));
    } catch (JedisDataException e) {
      if (String.valueOf(e.getMessage()).contains("QUEUEFULL")) {
        throw new QueueFullException(maxWaiting);
      }
      throw e;
    }
    return new Submitted((String) reply.get(0), ((Long) reply.get(1)) == 1L);
  }

  @Override
  public Optional<Claimed> claim(Set<String> capabilities, WorkerPicker picker, long now) {
    if (capabilities.isEmpty()) {
      return Optional.empty();
    }
    for (int tries = 0; tries < 10; tries++) {
      List<String> args = new ArrayList<>();
      args.add(prefix);
      args.addAll(capabilities);
      Object peeked = run(PEEK, args.toArray(String[]::new));
      if (peeked == null) {
        return Optional.empty();
      }
      List<Object> head = list(peeked);
      String id = (String) head.get(0);
      TaskRequest request = TaskRequest.fromJson(parse((String) head.get(1)));
      String workerId = picker.pick(request);
      if (workerId == null) {
        return Optional.empty();
      }
      Object taken = run(TAKE, prefix, id, workerId, Long.toString(now));
      if (taken != null) {
        List<Object> claimed = list(taken);
        JsonNode req = parse((String) claimed.get(1));
        return Optional.of(
            new Claimed(
                id,
                req.path("type").asText(),
                req.get("payload"),
                req.path("capability").asText(),
                ((Long) claimed.get(0)).intValue(),
                req.path("timeoutMs").asLong(),
                workerId,
                request.priority(),
                request.fallbackCapabilities()));
      }
      // another hub took it between the two scripts: look again
    }
    return Optional.empty();
  }

  @Override
  public Transition complete(String taskId, int attempt, JsonNode result, String ranBy, long now) {
    return transition(
        taskId,
        run(
            COMPLETE,
            prefix,
            taskId,
            Integer.toString(attempt),
            Json.write(result),
            Long.toString(now),
            ranBy == null ? "" : ranBy),
        0);
  }

  @Override
  public Transition fail(
      String taskId, int attempt, String error, boolean retryable, String ranBy, long now) {
    long delay = retryDelay(taskId, attempt);
    Transition transition =
        transition(
            taskId,
            run(
                FAIL,
                prefix,
                taskId,
                Integer.toString(attempt),
                error == null ? "" : error,
                retryable ? "1" : "0",
                Long.toString(now),
                Long.toString(delay),
                ranBy == null ? "" : ranBy),
            delay);
    return transition.kind() == Transition.Kind.RETRYING ? transition : withDelay(transition, 0);
  }

  @Override
  public Transition decline(String taskId, int attempt, long now) {
    return transition(
        taskId, run(DECLINE, prefix, taskId, Integer.toString(attempt), Long.toString(now)), 0);
  }

  @Override
  public Transition abandon(String taskId, int attempt, String reason, long now) {
    return transition(
        taskId,
        run(ABANDON, prefix, taskId, Integer.toString(attempt), reason, Long.toString(now)),
        0);
  }

  @Override
  public boolean extendLease(String taskId, int attempt, long now) {
    return Long.valueOf(1)
        .equals(run(EXTEND, prefix, taskId, Integer.toString(attempt), Long.toString(now)));
  }

  @Override
  public Transition cancel(String taskId, String reason, long now) {
    return transition(taskId, run(CANCEL, prefix, taskId, reason, Long.toString(now)), 0);
  }

  @Override
  public List<Lease> expiredLeases(long now) {
    List<Object> flat = list(run(EXPIRED, prefix, Long.toString(now)));
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i + 2 < flat.size(); i += 3) {
      leases.add(
          new Lease(
              (String) flat.get(i),
              Integer.parseInt((String) flat.get(i + 1)),
              (String) flat.get(i + 2)));
    }
    return leases;
  }

  @Override
  public boolean promoteDue(long now) {
    return ((Long) run(PROMOTE, prefix, Long.toString(now))) > 0;
  }

  @Override
  public long prune(long cutoff) {
    return (Long) run(PRUNE, prefix, Long.toString(cutoff));
  }

  @Override
  public Optional<Task> get(String taskId) {
    try {
      Map<String, String> fields = redis.hgetAll(prefix + ":t:" + taskId);
      return fields.isEmpty() ? Optional.empty() : Optional.of(task(taskId, fields));
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public List<Task> list(TaskState state, int limit) {
    try {
      List<Task> out = new ArrayList<>();
      long scanned = 0;
      while (out.size() < limit && scanned < MAX_SCAN) {
        List<String> ids = redis.zrevrange(prefix + ":tasks", scanned, scanned + 199);
        if (ids.isEmpty()) {
          break;
        }
        scanned += ids.size();
        List<Response<Map<String, String>>> replies = new ArrayList<>();
        try (Pipeline pipeline = redis.pipelined()) {
          ids.forEach(id -> replies.add(pipeline.hgetAll(prefix + ":t:" + id)));
          pipeline.sync();
        }
        for (int i = 0; i < ids.size() && out.size() < limit; i++) {
          Map<String, String> fields = replies.get(i).get();
          if (!fields.isEmpty()
              && (state == null || state.wireName().equals(fields.get("state")))) {
            out.add(task(ids.get(i), fields));
          }
        }
      }
      return out;
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public int waiting() {
    try {
      String value = redis.get(prefix + ":waiting");
      return value == null ? 0 : Integer.parseInt(value);
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  // ---- helpers

  private long retryDelay(String taskId, int attempt) {
    String type = get(taskId).map(Task::type).orElse(null);
    RetryPolicy policy = defaults.retry(type);
    return policy.delayMillis(attempt, jitter);
  }

  private Object run(LuaScript script, String... args) {
    try {
      return script.run(redis, List.of(), List.of(args));
    } catch (JedisDataException e) {
      throw e; // a refusal from the script itself, e.g. QUEUEFULL
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  private static UnavailableException unavailable(JedisException e) {
    return new UnavailableException(
        "the shared task queue in Redis is unreachable: " + e.getMessage(), e);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object reply) {
    return (List<Object>) reply;
  }

  private static Transition transition(String taskId, Object reply, long delay) {
    List<Object> r = list(reply);
    String error = (String) r.get(4);
    String worker = (String) r.get(2);
    return new Transition(
        Transition.Kind.valueOf((String) r.get(0)),
        taskId,
        emptyToNull((String) r.get(1)),
        emptyToNull(worker),
        Integer.parseInt((String) r.get(3)),
        emptyToNull(error),
        delay);
  }

  private static Transition withDelay(Transition t, long delay) {
    return new Transition(
        t.kind(), t.taskId(), t.type(), t.workerId(), t.attempt(), t.error(), delay);
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static Task task(String id, Map<String, String> f) {
    String result = f.get("result");
    return new Task(
        id,
        TaskRequest.fromJson(parse(f.get("req"))),
        TaskState.fromWireName(f.get("state")),
        Integer.parseInt(f.getOrDefault("attempt", "0")),
        f.get("workerId"),
        Long.parseLong(f.get("createdAt")),
        number(f.get("assignedAt")),
        number(f.get("completedAt")),
        number(f.get("retryAfter")),
        result == null ? null : parse(result),
        f.get("error"));
  }

  private static Long number(String value) {
    return value == null ? null : (long) Double.parseDouble(value);
  }

  private static JsonNode parse(String json) {
    try {
      return Json.parse(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a task in Redis is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
