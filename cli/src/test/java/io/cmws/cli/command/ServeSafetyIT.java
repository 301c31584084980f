package io.cmws.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.cli.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** cmws serve will not open a door nobody can lock, and says why. */
@Timeout(30)
class ServeSafetyIT {

  @Test
  void refusesANonLoopbackAddressWithoutTokensOrAllowAnonymous() throws Exception {
    CliRun serve = CliRun.run("serve", "--host", "0.0.0.0", "--port", "0", "--ephemeral");
    assertEquals(2, serve.exitCode());
    String message = String.join("\n", serve.stderr());
    assertTrue(message.contains("refusing to listen on 0.0.0.0 without tokens"), message);
    assertTrue(message.contains("--allow-anonymous"), "and says how to proceed: " + message);
  }

  @Test
  void refusesTokenChannelsForAnUnknownTokenAndABadRateLimit() throws Exception {
    CliRun unknown =
        CliRun.run(
            "serve",
            "--port",
            "0",
            "--ephemeral",
            "--token",
            "ops=s3cret",
            "--token-channels",
            "ui=session:*");
    assertEquals(2, unknown.exitCode());
    assertTrue(
        String.join("\n", unknown.stderr()).contains("names token 'ui', which is not configured"),
        unknown.stderr().toString());
    assertTrue(
        unknown.stderr().stream().noneMatch(line -> line.contains("s3cret")),
        "secrets never printed");
    CliRun rate = CliRun.run("serve", "--port", "0", "--ephemeral", "--rate-limit", "fast");
    assertEquals(2, rate.exitCode());
    assertTrue(
        String.join("\n", rate.stderr()).contains("--rate-limit must look like 1000 or 1000/2000"),
        rate.stderr().toString());
  }
}
