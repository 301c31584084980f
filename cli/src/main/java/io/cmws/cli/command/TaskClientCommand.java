package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.option.ConnectionOptions;
import io.cmws.cli.support.CliException;
import io.cmws.protocol.ClientFrame;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the task subcommands share: a hub with a cmws hub and request/reply. */
abstract class TaskClientCommand extends BaseCommand {
  @Option(names = "--json", description = "Machine-readable output (JSON Lines).")
  boolean json;

  @Mixin ConnectionOptions connection;

  HubConnection open() {
    HubConnection hub =
        connection
            .hubs()
            .open(connection.token(), connection.connectTimeout(), root()::openConnection);
    if (!hub.isCmwsHub()) {
      hub.close();
      throw CliException.rejected(
          connection.url()
              + " is not a cmws hub: claude-mem backends queue tasks only from their"
              + " own services");
    }
    return hub;
  }

  /** Sends a request and waits for its reply of {@code type}. */
  JsonNode request(HubConnection hub, ClientFrame frame, String what, String type) {
    hub.send(frame);
    return hub.await(connection.connectTimeout(), what, type);
  }
}
