package io.cmws.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** Real hub and worker processes for federation tests, and what they are asked. */
public final class FederatedHubs {
  public static final Duration WAIT = Duration.ofSeconds(60);

  private FederatedHubs() {}

  /** {@code cmws serve} on a free loopback port, in memory, named {@code name}. */
  public static CmwsProcess hub(String name, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--port",
                "0",
                "--admin-port",
                "-1",
                "--json",
                "--ephemeral",
                "--hub-name",
                name));
    args.addAll(List.of(extra));
    return CmwsProcess.start(args.toArray(String[]::new));
  }

  /** The URL a hub started with {@code --json} announces on its first line. */
  public static URI url(CmwsProcess hub) throws Exception {
    return URI.create(Json.parse(hub.out.next(WAIT)).get("url").asText());
  }

  /** A worker with {@code capabilities} running every task through {@code executor}. */
  public static CmwsProcess worker(URI hub, String capabilities, int concurrency, String executor)
      throws Exception {
    return CmwsProcess.start(
        "worker",
        "--url",
        hub.toString(),
        "--capabilities",
        capabilities,
        "--concurrency",
        Integer.toString(concurrency),
        "--executor",
        "*=" + executor,
        "-q");
  }

  /**
   * A shell executor that waits for {@code gate} to exist (when given), appends "LABEL PAYLOAD" to
   * {@code log}, and returns the payload.
   */
  public static String recorder(String label, Path log, Path gate) {
    return recorder(label, log, gate, "0.01");
  }

  /** As {@link #recorder(String, Path, Path)}, each task taking {@code seconds}. */
  public static String recorder(String label, Path log, Path gate, String seconds) {
    // bounded (60 s), so that a test that never opens the gate leaves no shell behind
    String wait =
        gate == null
            ? ""
            : "n=0; while [ ! -e '"
                + gate
                + "' ] && [ $n -lt 3000 ]; do sleep 0.02; n=$((n+1)); done; ";
    return "shell:p=$(cat); "
        + wait
        + "echo \""
        + label
        + " $p\" >> '"
        + log
        + "'; sleep "
        + seconds
        + "; printf '%s' \"$p\"";
  }

  /** A connection to {@code hub}, authenticated (loopback, no tokens: every permission). */
  public static RawClient client(URI hub) throws Exception {
    RawClient client = RawClient.greeted(hub);
    client.send("{\"type\":\"auth\"}").expect("auth:success");
    return client;
  }

  /** The pools {@code hub} lists now ({@code hubs:info}). */
  public static JsonNode hubs(RawClient client) throws Exception {
    return client.send("{\"type\":\"hubs\"}").expect("hubs:info").get("hubs");
  }

  /** The pool named {@code name} in a {@code hubs:info} list, or a missing node. */
  public static JsonNode pool(JsonNode hubs, String name) {
    for (JsonNode hub : hubs) {
      if (hub.path("name").asText().equals(name)) {
        return hub;
      }
    }
    return Json.object().missingNode();
  }

  /** Whether pool {@code name} is online and reports all of {@code capabilities} and free slots. */
  public static boolean ready(JsonNode hubs, String name, int freeSlots, String... capabilities) {
    JsonNode pool = pool(hubs, name);
    List<String> has = new ArrayList<>();
    pool.path("capabilities").forEach(c -> has.add(c.asText()));
    return pool.path("online").asBoolean()
        && pool.path("freeSlots").asInt() == freeSlots
        && has.containsAll(List.of(capabilities));
  }

  /** Waits until {@code hubs:info} of {@code client}'s hub satisfies {@code condition}. */
  public static void awaitPools(RawClient client, Predicate<JsonNode> condition) {
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> condition.test(hubs(client)));
  }
}
