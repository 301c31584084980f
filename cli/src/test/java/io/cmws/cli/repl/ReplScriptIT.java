package io.cmws.cli.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.cli.testing.CliRun;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code cmws repl < script}: commands from piped stdin, plain output, exit code of the first
 * failure.
 */
class ReplScriptIT {

  private static String script(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  private static boolean has(List<String> lines, String text) {
    return lines.stream().anyMatch(line -> line.contains(text));
  }

  @Test
  void runsAScriptedSession() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient worker = RawClient.greeted(hub.url())) {
      worker
          .send("{\"type\":\"register\",\"capabilities\":[\"resize\",\"thumbnail\"]}")
          .expect("registered");
      String url = hub.url().toString();
      CliRun repl =
          CliRun.start(
              script(
                  "connect " + url,
                  "subscribe 'demo:*' task:queued",
                  "publish demo:greeting '{\"hello\":\"world\"}'",
                  "await 'demo:*'",
                  "task submit resize '{\"w\":64}'",
                  "await task:queued",
                  "workers",
                  "status",
                  "frobnicate",
                  "exit",
                  "publish demo:never 1"),
              Map.of(),
              "repl",
              "--url",
              url);
      assertEquals(2, repl.exitCode(), "the first failed command was a usage error");
      List<String> out = repl.stdout();
      assertTrue(has(out, "connected to " + url + " as cli-"), out.toString());
      assertTrue(has(out, "subscribed to demo:* task:queued"), out.toString());
      assertTrue(out.contains("event demo:greeting #1 {\"hello\":\"world\"}"), out.toString());
      assertTrue(has(out, "event task:queued #1 {\"taskId\":"), out.toString());
      assertTrue(
          out.stream()
              .anyMatch(
                  line ->
                      line.matches("worker-\\d+-[0-9a-z]+\\s+resize,thumbnail\\s+1\\s+1\\s+.*")),
          "workers lists the worker with its task: " + out);
      assertTrue(has(out, "\"state\":\"connected\""), out.toString());
      assertTrue(has(out, "\"subscriptions\":[\"demo:*\",\"task:queued\"]"), out.toString());
      assertTrue(has(repl.stderr(), "unknown command 'frobnicate'"), repl.stderr().toString());
      assertTrue(!has(out, "demo:never"), "nothing runs after exit");
      assertEquals("resize", worker.expect("task:assign").get("task").get("type").asText());
    }
  }

  @Test
  void aCleanScriptExitsZeroAndRawFramesGetAnswers() throws Exception {
    try (TestHub hub = TestHub.start()) {
      CliRun repl =
          CliRun.start(
              script(
                  "send {\"type\":\"ping\"}",
                  "send not-json",
                  "await --timeout 200ms 'never:*'",
                  "channels"),
              Map.of(),
              "repl",
              "--url",
              hub.url().toString());
      assertEquals(4, repl.exitCode(), "await timed out");
      assertTrue(repl.stdout().contains("pong"), repl.stdout().toString());
      assertTrue(
          repl.stdout().contains("error [bad_json] Invalid message format"),
          repl.stdout().toString());
      CliRun clean =
          CliRun.start(script("status", "stats"), Map.of(), "repl", "--url", hub.url().toString());
      assertEquals(0, clean.exitCode());
      assertTrue(has(clean.stdout(), "\"eventsPublished\""), clean.stdout().toString());
    }
  }

  @Test
  void aReconnectWithSubscriptionsSaysEventsMayBeMissing() throws Exception {
    try (TestHub hub = TestHub.start()) {
      CliRun repl =
          CliRun.start(
              script("subscribe demo:*", "reconnect"),
              Map.of(),
              "repl",
              "--url",
              hub.url().toString());
      assertEquals(0, repl.exitCode(), repl.stderr().toString());
      assertTrue(has(repl.stdout(), "resubscribed to demo:*"), repl.stdout().toString());
      assertTrue(
          has(repl.stdout(), "events published while disconnected may be missing"),
          repl.stdout().toString());
    }
  }

  @Test
  void startsDisconnectedWhenTheHubIsDownAndSaysSo() throws Exception {
    int port;
    try (TestHub hub = TestHub.start()) {
      port = hub.server().port();
    }
    CliRun repl =
        CliRun.start(
            script("status", "publish a 1"),
            Map.of(),
            "repl",
            "--url",
            "ws://127.0.0.1:" + port + "/ws",
            "--connect-timeout",
            "2s");
    assertEquals(3, repl.exitCode());
    assertTrue(has(repl.stderr(), "use 'connect [URL]' to retry"), repl.stderr().toString());
    assertTrue(has(repl.stdout(), "\"state\":\"disconnected\""), repl.stdout().toString());
    assertTrue(has(repl.stderr(), "not connected: use 'connect [URL]'"), repl.stderr().toString());
  }

  @Test
  void mistakesAreToldInTheReplsWordsInOneLineEach() throws Exception {
    CliRun repl =
        CliRun.start(
            script("bogus", "stauts", "subscribe", "history --last x demo:x", "task submit"),
            Map.of(),
            "repl",
            "--url",
            "ws://127.0.0.1:1/ws",
            "--connect-timeout",
            "1s");
    assertEquals(2, repl.exitCode());
    List<String> err = repl.stderr();
    assertTrue(has(err, "unknown command 'bogus' (did you mean 'status'?)"), err.toString());
    assertTrue(
        has(err, "unknown command 'stauts' (did you mean 'stats' or 'status'?)"), err.toString());
    assertTrue(err.contains("subscribe: missing PATTERN"), err.toString());
    assertTrue(
        err.contains("history: invalid value for option '--last': 'x' is not an int"),
        err.toString());
    assertTrue(err.contains("task submit: missing TYPE"), err.toString());
    List<String> all = new java.util.ArrayList<>(err);
    all.addAll(repl.stdout());
    assertTrue(
        all.stream().noneMatch(l -> l.contains("Unmatched argument") || l.contains("Usage:")),
        all.toString());
  }
}
