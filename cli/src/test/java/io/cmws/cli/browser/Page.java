package io.cmws.cli.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** One browser tab: navigate, evaluate JavaScript, wait for a condition, take a screenshot. */
final class Page {
  static final Duration WAIT = Duration.ofSeconds(30);

  private final Chromium.Cdp cdp;
  private final String session;

  Page(Chromium.Cdp cdp, String session) {
    this.cdp = cdp;
    this.session = session;
  }

  /** Loads {@code url} and waits until the document has loaded. */
  Page open(String url) throws Exception {
    cdp.call(session, "Page.navigate", Json.object().put("url", url));
    waitFor("document.readyState === 'complete' && location.href !== 'about:blank'", WAIT);
    return this;
  }

  /** The value of {@code expression} (awaited if a promise), as JSON. */
  JsonNode eval(String expression) throws Exception {
    JsonNode result =
        cdp.call(
            session,
            "Runtime.evaluate",
            Json.object()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new AssertionError(
          "page threw on " + expression + ": " + result.get("exceptionDetails") + "; " + log());
    }
    return result.path("result").path("value");
  }

  /** Waits until {@code expression} is truthy in the page. */
  void waitFor(String expression, Duration timeout) throws Exception {
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> eval("!!(" + expression + ")").asBoolean());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "page never showed " + expression + " within " + timeout + "; " + log(), e);
    }
  }

  void waitFor(String expression) throws Exception {
    waitFor(expression, WAIT);
  }

  /** Saves a PNG of the visible page. */
  Path screenshot(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    JsonNode shot = cdp.call(session, "Page.captureScreenshot", Json.object().put("format", "png"));
    Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
    return file;
  }

  /** What the page logged to its console, and its uncaught exceptions. */
  List<String> log() {
    return List.copyOf(cdp.logs.getOrDefault(session, List.of()));
  }
}
