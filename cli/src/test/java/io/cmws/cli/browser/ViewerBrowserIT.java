package io.cmws.cli.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's viewer page and {@code /cmws.js} in a real headless Chromium, against real hub
 * processes. Each test leaves a screenshot under {@code target/browser/}.
 */
class ViewerBrowserIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path SHOTS = Path.of("target", "browser");

  /** A hub as {@code cmws serve --json} announced it. */
  private record Hub(CmwsProcess process, URI ws, String admin) implements AutoCloseable {
    static Hub start(String... options) throws Exception {
      List<String> args = new ArrayList<>(List.of("serve", "--json"));
      args.addAll(List.of(options));
      CmwsProcess process = CmwsProcess.start(args.toArray(String[]::new));
      JsonNode listening = Json.parse(process.out.next(WAIT));
      return new Hub(
          process, URI.create(listening.get("url").asText()), listening.get("adminUrl").asText());
    }

    @Override
    public void close() {
      process.close();
    }
  }

  @BeforeAll
  static void browserVersion() throws Exception {
    System.out.println("browser tests with " + Chromium.version());
  }

  private static RawClient client(URI ws, String token) throws Exception {
    RawClient client = RawClient.greeted(ws);
    client
        .send(
            token == null
                ? "{\"type\":\"auth\"}"
                : "{\"type\":\"auth\",\"token\":\"" + token + "\"}")
        .expect("auth:success");
    return client;
  }

  private static void publish(RawClient publisher, String channel, String data) throws Exception {
    publisher
        .send("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + data + "}")
        .expect("published");
  }

  /**
   * Waits until the hub has a subscriber on {@code pattern} (the page subscribes after loading).
   */
  private static void awaitSubscriber(RawClient admin, String pattern) {
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (JsonNode p :
                  admin.send("{\"type\":\"channels\"}").expect("channels:info").get("patterns")) {
                if (p.get("pattern").asText().equals(pattern) && p.get("subscribers").asInt() > 0) {
                  return true;
                }
              }
              return false;
            });
  }

  /** The event list, oldest first, as "channel#seq". */
  private static List<String> shownEvents(Page page) throws Exception {
    List<String> shown = new ArrayList<>();
    page.eval(
            "[...document.querySelectorAll('#events li')].reverse()"
                + ".map(li => li.dataset.channel + '#' + li.dataset.seq)")
        .forEach(e -> shown.add(e.asText()));
    return shown;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static final String CONNECTED =
      "document.getElementById('status').dataset.status === 'connected'";

  @Test
  @Timeout(120)
  void theViewerShowsExactlyTheMatchingEventsInOrder() throws Exception {
    try (Hub hub = Hub.start("--port", "0", "--admin-port", "0", "--ephemeral");
        Chromium chromium = Chromium.start();
        RawClient publisher = client(hub.ws(), null)) {
      Page page = chromium.page().open(hub.admin() + "/?subscribe=demo:*");
      page.waitFor(CONNECTED);
      awaitSubscriber(publisher, "demo:*");

      publish(publisher, "demo:a", "{\"n\":1}");
      publish(publisher, "other:x", "{\"n\":2}");
      publish(publisher, "demo:a", "{\"n\":3}");
      publish(publisher, "demo", "{\"n\":4}"); // demo:* needs a segment after demo
      publish(publisher, "demox:a", "{\"n\":5}");
      publish(publisher, "demo:b:c", "{\"n\":6}");
      publish(publisher, "session:demo", "{\"n\":7}");
      publish(publisher, "demo:a", "{\"n\":8}");
      publish(publisher, "demo:end", "null"); // everything before it is shown by then
      page.waitFor("document.querySelector('#events li[data-channel=\"demo:end\"]')");

      assertEquals(
          List.of("demo:a#1", "demo:a#2", "demo:b:c#1", "demo:a#3", "demo:end#1"),
          shownEvents(page),
          "the matching events, in publish order, and nothing else");
      assertEquals(
          "demo:*", page.eval("document.querySelector('#patterns li span').textContent").asText());
      page.screenshot(SHOTS.resolve("viewer-events.png"));
    }
  }

  @Test
  @Timeout(180)
  void afterTheHubRestartsThePageRecoversEveryEventWithoutGapOrDuplicate(@TempDir Path dir)
      throws Exception {
    String port = Integer.toString(freePort());
    String adminPort = Integer.toString(freePort());
    String data = dir.resolve("data").toString();
    String[] options = {"--port", port, "--admin-port", adminPort, "--data-dir", data};
    Hub first = Hub.start(options);
    try (Chromium chromium = Chromium.start()) {
      Page page = chromium.page().open(first.admin() + "/?subscribe=demo:*");
      page.waitFor(CONNECTED);
      try (RawClient publisher = client(first.ws(), null)) {
        awaitSubscriber(publisher, "demo:*");
        for (int n = 1; n <= 20; n++) {
          publish(publisher, "demo:tick", "{\"n\":" + n + "}");
        }
      }
      page.waitFor("document.querySelectorAll('#events li').length === 20");

      first.process().terminate(); // SIGTERM: the store is closed cleanly, history kept
      assertEquals(0, first.process().waitFor(WAIT));
      page.waitFor("document.getElementById('status').dataset.status === 'reconnecting'");
      try (Hub second = Hub.start(options)) {
        // published while the page is still away: it must come back in the replay
        try (RawClient publisher = client(second.ws(), null)) {
          for (int n = 21; n <= 40; n++) {
            publish(publisher, "demo:tick", "{\"n\":" + n + "}");
          }
          page.waitFor("!document.getElementById('banner').hidden");
          assertEquals(
              "recovered",
              page.eval("document.getElementById('banner').dataset.kind").asText(),
              page.eval("document.getElementById('banner').textContent").asText());
          for (int n = 41; n <= 50; n++) {
            publish(publisher, "demo:tick", "{\"n\":" + n + "}");
          }
        }
        page.waitFor("document.querySelectorAll('#events li').length >= 50");
        assertEquals(
            IntStream.rangeClosed(1, 50).mapToObj(n -> "demo:tick#" + n).toList(),
            shownEvents(page),
            "no gap and no duplicate across the restart");
        System.out.println(
            "browser restart: "
                + page.eval("document.getElementById('banner').textContent").asText().strip());
        page.screenshot(SHOTS.resolve("viewer-recovered.png"));
      }
    } finally {
      first.close();
    }
  }

  @Test
  @Timeout(120)
  void aPageImportingCmwsJsPublishesWithATokenAndIsRefusedWithout() throws Exception {
    try (Hub hub =
            Hub.start(
                "--port",
                "0",
                "--admin-port",
                "0",
                "--ephemeral",
                "--token",
                "app=s3cret-app:subscribe,broadcast",
                "--token",
                "ops=s3cret-ops");
        Chromium chromium = Chromium.start();
        RawClient watcher = client(hub.ws(), "s3cret-ops")) {
      watcher.send("{\"type\":\"subscribe\",\"channels\":[\"app:*\"]}").expect("subscribed");
      String html =
          """
          <!doctype html><meta charset="utf-8"><title>an app</title>
          <script type="module">
          import { connect } from "ADMIN/cmws.js";
          const app = connect({ token: "s3cret-app" });
          let sent = false;
          app.onState(async (state) => {
            document.body.dataset.status = state.status;
            if (state.status !== "connected" || sent) return;
            sent = true;
            try {
              const ack = await app.publish("app:hello", { from: "page" });
              document.body.dataset.ack = JSON.stringify(ack);
            } catch (e) {
              document.body.dataset.ack = "error " + e.message;
            }
            const anonymous = connect({});
            let tried = false;
            anonymous.onState(async (s) => {
              if (s.status !== "connected" || tried) return;
              tried = true;
              try {
                await anonymous.publish("app:hello", {});
                document.body.dataset.refused = "published";
              } catch (e) {
                document.body.dataset.refused = e.code || e.message;
              }
            });
          });
          </script>
          """
              .replace("ADMIN", hub.admin());
      HttpServer app =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      app.createContext(
          "/",
          exchange -> {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      app.start();
      try {
        Page page = chromium.page().open("http://127.0.0.1:" + app.getAddress().getPort() + "/");
        page.waitFor("document.body.dataset.ack");
        JsonNode ack = Json.parse(page.eval("document.body.dataset.ack").asText());
        assertEquals("published", ack.get("type").asText(), ack.toString());
        assertEquals("app:hello", ack.get("channel").asText());
        assertEquals(1, ack.get("seq").asInt());
        JsonNode event = watcher.expect("event");
        assertEquals("app:hello", event.get("channel").asText());
        assertEquals(Json.parse("{\"from\":\"page\"}"), event.get("data"));

        page.waitFor("document.body.dataset.refused");
        assertEquals(
            "forbidden",
            page.eval("document.body.dataset.refused").asText(),
            "a page without a token may only subscribe");
        page.screenshot(SHOTS.resolve("cmws-js-page.png"));
      } finally {
        app.stop(0);
      }
    }
  }

  @Test
  @Timeout(120)
  void theTasksTableShowsATaskGoFromQueuedToCompleted() throws Exception {
    try (Hub hub = Hub.start("--port", "0", "--admin-port", "0", "--ephemeral");
        Chromium chromium = Chromium.start();
        RawClient submitter = client(hub.ws(), null)) {
      // subscribed to task:* too, so that its screenshot (the README's) shows events as well
      Page page = chromium.page().open(hub.admin() + "/?subscribe=task:*");
      page.waitFor(CONNECTED);
      awaitSubscriber(submitter, "task:*");
      String taskId =
          submitter
              .send("{\"type\":\"task:submit\",\"taskType\":\"echo\",\"payload\":{\"n\":1}}")
              .expect("task:submitted")
              .get("taskId")
              .asText();
      String row = "document.querySelector('#tasks tr[data-task-id=\"" + taskId + "\"]')";
      page.waitFor(row + "?.dataset.state === 'queued'");
      page.screenshot(SHOTS.resolve("tasks-queued.png"));
      try (CmwsProcess worker =
          CmwsProcess.start(
              "worker", "--url", hub.ws().toString(), "--capabilities", "echo", "-q")) {
        page.waitFor(row + "?.dataset.state === 'completed'");
        assertTrue(
            page.eval(row + ".textContent").asText().contains("echo"),
            page.eval(row + ".textContent").asText());
        page.waitFor("document.querySelector('#workers tbody tr')");
        page.screenshot(SHOTS.resolve("tasks-completed.png"));
      }
    }
  }
}
