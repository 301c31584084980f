package io.cmws.cli.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium from the machine's package manager, driven over the DevTools protocol on one
 * WebSocket: no Selenium, no driver binary. One instance per test; {@link #page()} opens a tab.
 */
final class Chromium implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(30);
  private static final Duration COMMAND = Duration.ofSeconds(20);

  private final Process process;
  private final Path profile;
  private final Cdp cdp;

  private Chromium(Process process, Path profile, Cdp cdp) {
    this.process = process;
    this.profile = profile;
    this.cdp = cdp;
  }

  /**
   * The browser binary: {@code CMWS_CHROMIUM}, else chromium, chromium-browser or google-chrome on
   * the PATH. Without one the test is skipped, loudly, unless {@code CMWS_REQUIRE_BROWSER} is set
   * (as {@code .ci/run} does): then it fails.
   */
  static String binary() {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("CMWS_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    candidates.addAll(List.of("chromium", "chromium-browser", "google-chrome"));
    for (String candidate : candidates) {
      Path direct = Path.of(candidate);
      if (direct.isAbsolute() && Files.isExecutable(direct)) {
        return candidate;
      }
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, candidate))) {
          return Path.of(dir, candidate).toString();
        }
      }
    }
    String why = "no Chromium found (chromium, chromium-browser, google-chrome or CMWS_CHROMIUM)";
    if (System.getenv("CMWS_REQUIRE_BROWSER") != null) {
      throw new AssertionError(why + ", and CMWS_REQUIRE_BROWSER is set");
    }
    System.err.println(
        "*** BROWSER TESTS SKIPPED: " + why + ". Install it: apt-get install chromium");
    Assumptions.abort(why);
    return null;
  }

  /** The browser's version line, e.g. "Chromium 156.0.8078.108 ...". */
  static String version() throws IOException, InterruptedException {
    Process version = new ProcessBuilder(binary(), "--version").redirectErrorStream(true).start();
    String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    version.waitFor(10, TimeUnit.SECONDS);
    return out.lines()
        .filter(line -> line.startsWith("Chromium ") || line.startsWith("Google Chrome "))
        .findFirst()
        .orElse(out.strip());
  }

  static Chromium start() throws Exception {
    Path profile = Files.createTempDirectory("cmws-chromium");
    Process process =
        new ProcessBuilder(
                binary(),
                "--headless",
                "--no-sandbox", // tests may run as root in CI containers
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "--window-size=1280,900",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> endpoint = new CompletableFuture<>();
    List<String> output = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  synchronized (output) {
                    output.add(line);
                  }
                  int at = line.indexOf("ws://");
                  if (line.contains("DevTools listening on") && at >= 0) {
                    endpoint.complete(line.substring(at).trim());
                  }
                }
              } catch (IOException e) {
                endpoint.completeExceptionally(e);
              }
              endpoint.completeExceptionally(new IOException("chromium exited: " + output));
            },
            "chromium-output");
    reader.setDaemon(true);
    reader.start();
    String url;
    try {
      url = endpoint.get(START.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      synchronized (output) {
        throw new AssertionError("chromium did not start: " + output, e);
      }
    }
    return new Chromium(process, profile, Cdp.connect(URI.create(url)));
  }

  /** A new tab. */
  Page page() throws Exception {
    String targetId =
        cdp.call(null, "Target.createTarget", Json.object().put("url", "about:blank"))
            .get("targetId")
            .asText();
    String session =
        cdp.call(
                null,
                "Target.attachToTarget",
                Json.object().put("targetId", targetId).put("flatten", true))
            .get("sessionId")
            .asText();
    Page page = new Page(cdp, session);
    cdp.call(session, "Runtime.enable", Json.object());
    cdp.call(session, "Page.enable", Json.object());
    return page;
  }

  @Override
  public void close() {
    try {
      cdp.call(null, "Browser.close", Json.object());
    } catch (Exception e) {
      // it is going anyway
    }
    cdp.close();
    // Chromium's renderer and GPU processes keep writing into the profile after the browser dies.
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      for (ProcessHandle child : children) {
        child.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // a child that will not go leaves its files behind; deleting below is best effort
    }
    deleteQuietly(profile);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory left behind
    }
  }

  /** The DevTools protocol over one WebSocket: commands by id, events to the pages' logs. */
  static final class Cdp extends WebSocketClient {
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    final Map<String, List<String>> logs = new ConcurrentHashMap<>();

    private Cdp(URI url) {
      super(url);
      setConnectionLostTimeout(0);
    }

    static Cdp connect(URI url) throws InterruptedException {
      Cdp cdp = new Cdp(url);
      if (!cdp.connectBlocking(10, TimeUnit.SECONDS)) {
        throw new AssertionError("cannot reach chromium's DevTools at " + url);
      }
      return cdp;
    }

    JsonNode call(String session, String method, ObjectNode params) throws Exception {
      int id = ids.incrementAndGet();
      ObjectNode command = Json.object().put("id", id).put("method", method);
      command.set("params", params);
      if (session != null) {
        command.put("sessionId", session);
      }
      CompletableFuture<JsonNode> reply = new CompletableFuture<>();
      calls.put(id, reply);
      send(Json.write(command));
      JsonNode answer = reply.get(COMMAND.toMillis(), TimeUnit.MILLISECONDS);
      if (answer.has("error")) {
        throw new AssertionError(method + " failed: " + answer.get("error"));
      }
      return answer.get("result");
    }

    @Override
    public void onMessage(String message) {
      JsonNode frame = Json.parseOrString(message);
      if (frame.has("id")) {
        CompletableFuture<JsonNode> reply = calls.remove(frame.get("id").asInt());
        if (reply != null) {
          reply.complete(frame);
        }
        return;
      }
      String method = frame.path("method").asText();
      String session = frame.path("sessionId").asText("");
      JsonNode params = frame.path("params");
      if (method.equals("Runtime.consoleAPICalled")) {
        List<String> parts = new ArrayList<>();
        params
            .path("args")
            .forEach(a -> parts.add(a.path("value").asText(a.path("description").asText())));
        log(session, "console." + params.path("type").asText() + ": " + String.join(" ", parts));
      } else if (method.equals("Runtime.exceptionThrown")) {
        JsonNode details = params.path("exceptionDetails");
        log(
            session,
            "exception: "
                + details
                    .path("exception")
                    .path("description")
                    .asText(details.path("text").asText()));
      }
    }

    private void log(String session, String line) {
      logs.computeIfAbsent(session, s -> java.util.Collections.synchronizedList(new ArrayList<>()))
          .add(line);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onClose(int code, String reason, boolean remote) {
      calls
          .values()
          .forEach(c -> c.completeExceptionally(new IOException("DevTools closed: " + reason)));
    }

    @Override
    public void onError(Exception ex) {}
  }
}
