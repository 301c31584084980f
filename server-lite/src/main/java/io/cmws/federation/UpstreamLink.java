package io.cmws.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.hub.Hub;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.Json;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.FederationPolicy;
import io.cmws.tasks.PoolView;
import io.cmws.tasks.TaskDefaults;
import io.cmws.transport.WsClientLink;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This hub as a worker pool of a parent hub, through one outbound connection: a cmws hub's {@code
 * /ws} (as client type {@code hub}, with events both ways) or a claude-mem backend's {@code
 * /ws/hub}. It registers with its name, region and labels, reports its workers' capabilities and
 * free slots on every change and at least every 30 s, runs the parent's tasks on its own workers,
 * relays their outcomes (kept while the link is down), and reconnects with backoff and jitter
 * across the URLs.
 *
 * <p>One thread of its own ({@code cmws-upstream}) owns all of its state: frames from the parent,
 * local outcomes and local events arrive as items on its inbox.
 */
public final class UpstreamLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamLink.class);
  static final Duration HEALTH_EVERY = Duration.ofSeconds(30);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final long FIRST_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 10_000;
  private static final long POLL_MS = 100;

  private enum State {
    DISCONNECTED,
    GREETING,
    AUTHENTICATING,
    REGISTERING,
    REGISTERED
  }

  /** What the upstream thread handles next; {@code link} tells items of an old link apart. */
  private sealed interface Item {}

  private record Frame(Attempt attempt, JsonNode frame) implements Item {}

  private record Closed(Attempt attempt, int code, String reason) implements Item {}

  /** One connection attempt: frames and closes of earlier ones are ignored. */
  private static final class Attempt {}

  private record Outcome(ServerFrame.TaskResult result) implements Item {}

  private record Event(EventMessage event) implements Item {}

  private record Progress(EventMessage event) implements Item {}

  /** What a health report says: room for work, and the parent's tasks held here. */
  private record Health(PoolView.Capacity room, List<String> running) {}

  private final UpstreamConfig config;
  private final Hub hub;
  private final FederationPolicy self;
  private final Clock clock;
  private final BlockingQueue<Item> inbox = new LinkedBlockingQueue<>();
  private final UpstreamTasks tasks;
  private final UpstreamEvents events;
  private final Thread thread;
  private final AutoCloseable eventsUp;
  private final AutoCloseable progress;
  private volatile boolean running = true;

  private State state = State.DISCONNECTED;
  private WsClientLink link;
  private Attempt current;
  private int urlIndex;
  private long backoffMs = FIRST_BACKOFF_MS;
  private long nextConnectMillis;
  private String parentName;
  private Health lastReported;
  private long lastHealthMillis;

  private UpstreamLink(
      UpstreamConfig config, Hub hub, FederationPolicy self, TaskDefaults defaults, Clock clock) {
    this.config = config;
    this.hub = hub;
    this.self = self;
    this.clock = clock;
    this.events = new UpstreamEvents(hub, self.localName());
    this.tasks = new UpstreamTasks(hub.tasks(), defaults, result -> inbox.add(new Outcome(result)));
    this.eventsUp =
        config.publish().isEmpty()
            ? () -> {}
            : hub.listen(config.publish(), event -> inbox.add(new Event(event)));
    this.progress = hub.listen(List.of("task:progress"), event -> inbox.add(new Progress(event)));
    this.thread = new Thread(this::run, "cmws-upstream");
    this.thread.setDaemon(true);
  }

  /** Starts joining the parent; returns at once. */
  public static UpstreamLink start(
      UpstreamConfig config, Hub hub, FederationPolicy self, TaskDefaults defaults, Clock clock) {
    UpstreamLink upstream = new UpstreamLink(config, hub, self, defaults, clock);
    upstream.tasks.recover(clock.millis() - Duration.ofMinutes(10).toMillis());
    upstream.thread.start();
    return upstream;
  }

  private void run() {
    while (running) {
      try {
        if (state == State.DISCONNECTED && clock.millis() >= nextConnectMillis) {
          connect();
        }
        Item item = inbox.poll(POLL_MS, TimeUnit.MILLISECONDS);
        if (item != null) {
          handle(item);
        }
        if (state == State.REGISTERED) {
          reportHealthIfDue();
        }
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.error("upstream link: {}", e.toString(), e);
      }
    }
  }

  private URI url() {
    return config.urls().get(urlIndex % config.urls().size());
  }

  private boolean claudeMem() {
    return UpstreamConfig.isClaudeMemEndpoint(url());
  }

  private void connect() {
    URI url = url();
    Attempt attempt = new Attempt();
    current = attempt;
    try {
      link =
          WsClientLink.connect(
              url,
              new WsClientLink.Listener() {
                @Override
                public void text(String json) {
                  inbox.add(new Frame(attempt, Json.parseOrString(json)));
                }

                @Override
                public void closed(int code, String reason, boolean remote) {
                  inbox.add(new Closed(attempt, code, reason));
                }
              },
              CONNECT_TIMEOUT);
      LOG.info("connected to the parent hub at {}", url);
      if (claudeMem()) {
        if (config.token() == null) {
          register();
        } else {
          send(Json.object().put("type", "auth").put("token", config.token()));
          state = State.AUTHENTICATING;
        }
      } else {
        state = State.GREETING; // a cmws hub greets first, then we authenticate as a hub
      }
    } catch (IOException e) {
      retryLater("cannot connect to the parent hub at " + url + " (" + e.getMessage() + ")");
    }
  }

  private void retryLater(String why) {
    state = State.DISCONNECTED;
    link = null;
    current = null;
    urlIndex++;
    long delay = (long) (backoffMs * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    nextConnectMillis = clock.millis() + delay;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    LOG.warn("{}; retrying in {} ms with {}", why, delay, url());
  }

  private void handle(Item item) {
    if (item instanceof Outcome outcome) {
      tasks.finished(outcome.result()).ifPresent(this::report);
    } else if (item instanceof Event event) {
      forwardUp(event.event());
    } else if (item instanceof Progress update) {
      if (state == State.REGISTERED) {
        tasks.progress(update.event().data()).ifPresent(this::send);
      }
    } else if (item instanceof Closed closed) {
      if (closed.attempt() != current) {
        return;
      }
      String why =
          "the link to the parent hub closed (" + closed.code() + " " + closed.reason() + ")";
      if (closed.code() == CloseCodes.HUB_INVALID_TOKEN
          || closed.code() == CloseCodes.HUB_AUTH_REQUIRED) {
        LOG.error(
            "the parent hub at {} wants a valid token: {} (check --upstream-token)", url(), why);
        backoffMs = MAX_BACKOFF_MS;
      }
      retryLater(why);
    } else if (item instanceof Frame frame && frame.attempt() == current) {
      receive(frame.frame());
    }
  }

  private void receive(JsonNode frame) {
    String type = frame.path("type").asText();
    switch (type) {
      case "connection:pending" -> authenticate();
      case "auth:success", "hub:auth:success" -> register();
      case "auth:failed", "hub:auth:failed" -> refused(frame.path("reason").asText("no reason"));
      case "hub:registered" -> registered(frame);
      case "hub:task:assign" -> tasks.assigned(frame).ifPresent(this::send);
      case "hub:task:cancel" ->
          tasks.cancelled(frame.path("taskId").asText(), frame.path("reason").asText(null));
      case "event" -> events.down(frame, parentName);
      case "hub:heartbeat:ack" -> tasks.healthAcknowledged();
      case "ping" -> send(Json.object().put("type", "pong"));
      case "backend:shutdown" -> LOG.warn("the parent hub is shutting down; joining again later");
      case "error" -> parentSays(frame);
      default -> LOG.debug("from the parent hub: {}", type);
    }
  }

  private void authenticate() {
    ObjectNode auth = Json.object().put("type", "auth").put("clientType", "hub");
    if (config.token() != null) {
      auth.put("token", config.token());
    }
    send(auth);
    state = State.AUTHENTICATING;
  }

  private void refused(String reason) {
    LOG.error("the parent hub at {} refused this hub: {} (check --upstream-token)", url(), reason);
    link.close();
    backoffMs = MAX_BACKOFF_MS;
    retryLater("refused by the parent hub");
  }

  private void register() {
    PoolView.Capacity capacity = capacity();
    ObjectNode register = Json.object().put("type", "hub:register").put("name", self.localName());
    if (self.region() != null) {
      register.put("region", self.region());
    }
    register.set("labels", Json.MAPPER.valueToTree(self.labels()));
    register.set("capabilities", Json.MAPPER.valueToTree(capacity.capabilities()));
    register.put("freeSlots", capacity.freeSlots());
    send(register);
    state = State.REGISTERING;
  }

  private void registered(JsonNode frame) {
    state = State.REGISTERED;
    backoffMs = FIRST_BACKOFF_MS;
    parentName = frame.path("name").asText(null);
    LOG.info(
        "joined the parent hub at {} as {} (hub id {})",
        url(),
        self.localName(),
        frame.path("hubId").asText());
    // results first: the health report after them lists what this hub still runs, so the parent
    // can tell an assignment the old link lost from one that finished here
    for (ObjectNode report : tasks.newLink(!claudeMem())) {
      report(report);
    }
    lastReported = null;
    reportHealthIfDue();
    if (!claudeMem() && !config.subscribe().isEmpty()) {
      ObjectNode subscribe = Json.object().put("type", "subscribe");
      subscribe.set("channels", Json.MAPPER.valueToTree(config.subscribe()));
      send(subscribe);
    }
  }

  /** A report goes up now, or waits for the link. */
  private void report(ObjectNode report) {
    if (state == State.REGISTERED && send(report)) {
      tasks.sent(report);
    } else {
      tasks.hold(report);
    }
  }

  /** A report about a task the parent no longer gives us is old news after a reconnect. */
  private void parentSays(JsonNode error) {
    if ("not_owner".equals(error.path("code").asText())) {
      LOG.debug("the parent hub already settled: {}", error.path("message").asText());
    } else {
      LOG.warn("the parent hub says: {}", error.path("message").asText());
    }
  }

  private void reportHealthIfDue() {
    Health capacity = new Health(capacity(), tasks.running());
    long now = clock.millis();
    long every = tasks.healthEveryMillis(HEALTH_EVERY.toMillis());
    if (capacity.equals(lastReported) && now - lastHealthMillis < every) {
      return;
    }
    PoolView.Capacity room = capacity.room();
    ObjectNode health =
        Json.object()
            .put("type", "hub:health")
            .put("status", room.connectedWorkers() > 0 ? "healthy" : "degraded")
            .put("connectedWorkers", room.connectedWorkers())
            .put("activeWorkers", room.activeWorkers())
            .put("freeSlots", room.freeSlots());
    health.set("capabilities", Json.MAPPER.valueToTree(room.capabilities()));
    health.set("running", Json.MAPPER.valueToTree(capacity.running()));
    if (send(health)) {
      tasks.healthSent();
      lastReported = capacity;
      lastHealthMillis = now;
    }
  }

  /** This hub's room for the parent's work: free slots less the tasks already waiting here. */
  private PoolView.Capacity capacity() {
    PoolView.Capacity capacity = hub.tasks().capacity();
    int waiting = hub.tasks().queue().waiting();
    return new PoolView.Capacity(
        capacity.capabilities(),
        Math.max(0, capacity.freeSlots() - waiting),
        capacity.connectedWorkers(),
        capacity.activeWorkers());
  }

  /** A local event goes up; claude-mem's /ws/hub carries no events. */
  private void forwardUp(EventMessage event) {
    if (state == State.REGISTERED && !claudeMem()) {
      events.up(event, parentName).ifPresent(this::send);
    }
  }

  private boolean send(ObjectNode frame) {
    return link != null && link.send(Json.write(frame));
  }

  /** Says goodbye to the parent and stops; the parent's leases decide about unfinished tasks. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (AutoCloseable listener : List.of(eventsUp, progress)) {
      try {
        listener.close();
      } catch (Exception e) {
        LOG.debug("closing an event listener: {}", e.toString());
      }
    }
    WsClientLink current = link;
    if (current != null) {
      if (state == State.REGISTERED) {
        current.send(
            Json.write(Json.object().put("type", "hub:shutdown").put("reason", "stopping")));
      }
      current.close(1000, "Hub shutdown");
    }
  }
}
