package io.cmws.cli;

import io.cmws.server.HubServer;
import io.cmws.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The training run for the class-data-sharing archive install.sh builds: a throwaway hub on a free
 * loopback port, and the client commands scripts run most, so their classes are archived and a cold
 * {@code cmws publish} starts in a fraction of the time. Not a user command.
 *
 * <p>{@code java -XX:ArchiveClassesAtExit=cmws.jsa -cp cmws.jar io.cmws.cli.CdsTraining}
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    int failures = 0;
    try (HubServer hub = HubServer.start(ServerConfig.ephemeral(), "cds-training")) {
      String url = hub.url().toString();
      failures += run("publish", "--url", url, "cds:training", "{\"n\":1}");
      failures += run("publish", "--url", url, "--json", "cds:training", "{\"n\":2}");
      failures += run("subscribe", "--url", url, "--last", "2", "--count", "2", "--json", "cds:*");
      failures += run("task", "list", "--url", url, "--json");
      failures += run("publish", "--help");
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  private static int run(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
    if (code != 0) {
      System.err.println(
          "cds training: cmws " + String.join(" ", args) + " exited " + code + ": " + err);
      return 1;
    }
    return 0;
  }
}
