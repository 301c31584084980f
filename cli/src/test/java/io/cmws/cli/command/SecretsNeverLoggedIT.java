package io.cmws.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Secrets stay out of every log, even at debug level: a hub with tokens and clients presenting the
 * right secret, a wrong one, and one that differs from a real secret only in its last character.
 */
@Timeout(90)
class SecretsNeverLoggedIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SECRET = "Sup3rSecretValue";
  private static final String NEAR_MISS = "Sup3rSecretValuX";
  private static final String WRONG = "WrongGuess42";

  @Test
  void neitherTheHubNorTheClientsPrintASecretOrAGuess() throws Exception {
    List<String> everything = new ArrayList<>();
    try (CmwsProcess hub =
        CmwsProcess.start(
            "serve",
            "--port",
            "0",
            "--admin-port",
            "-1",
            "--ephemeral",
            "--json",
            "-vv",
            "--token",
            "ops=" + SECRET,
            "--token",
            "ui=" + WRONG.toLowerCase() + ":subscribe")) {
      String url = Json.parse(hub.out.next(WAIT)).get("url").asText();

      assertEquals(0, publish(url, SECRET, everything), "the right secret publishes");
      assertEquals(5, publish(url, WRONG, everything), "a wrong secret is refused with exit 5");
      assertEquals(
          5, publish(url, NEAR_MISS, everything), "one character off is as wrong as anything else");

      hub.terminate();
      assertEquals(0, hub.waitFor(WAIT));
      everything.addAll(hub.out.snapshot());
      everything.addAll(hub.err.snapshot());
    }
    assertTrue(
        everything.stream().anyMatch(line -> line.contains("DEBUG")),
        "debug logging was on: " + everything);
    for (String secret : List.of(SECRET, NEAR_MISS, WRONG, WRONG.toLowerCase())) {
      assertTrue(
          everything.stream().noneMatch(line -> line.contains(secret)),
          secret + " appears in " + everything);
    }
  }

  private static int publish(String url, String token, List<String> output) throws Exception {
    try (CmwsProcess publish =
        CmwsProcess.start(
            "publish", "probe:x", "{\"n\":1}", "--url", url, "--token", token, "-vv")) {
      int exit = publish.waitFor(WAIT);
      output.addAll(publish.out.snapshot());
      output.addAll(publish.err.snapshot());
      return exit;
    }
  }
}
