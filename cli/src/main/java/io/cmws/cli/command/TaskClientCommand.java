package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.HubSession;
import io.cmws.cli.option.ConnectionOptions;
import io.cmws.cli.support.CliException;
import io.cmws.protocol.ClientFrame;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the task subcommands share: a session with a cmws hub and request/reply. */
abstract class TaskClientCommand extends BaseCommand {
  @Option(names = "--json", description = "Machine-readable output (JSON Lines).")
  boolean json;

  @Mixin ConnectionOptions connection;

  HubSession open() {
    HubSession session =
        connection
            .hubs()
            .open(connection.token(), connection.connectTimeout(), root()::openSession);
    if (!session.isCmwsHub()) {
      session.close();
      throw CliException.rejected(
          connection.url()
              + " is not a cmws hub: claude-mem backends queue tasks only from their"
              + " own services");
    }
    return session;
  }

  /** Sends a request and waits for its reply of {@code type}. */
  JsonNode request(HubSession session, ClientFrame frame, String what, String type) {
    session.send(frame);
    return session.await(connection.connectTimeout(), what, type);
  }
}
