package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.option.ConnectionOptions;
import io.cmws.cli.support.CliException;
import io.cmws.protocol.ClientFrame;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the request/reply commands share ({@code task ...}, {@code hubs}): a cmws hub to ask. */
abstract class RequestCommand extends BaseCommand {
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
      throw CliException.rejected(connection.url() + " is not a cmws hub: " + whyCmwsOnly());
    }
    return hub;
  }

  /** Why a claude-mem backend cannot answer this command. */
  String whyCmwsOnly() {
    return "claude-mem backends queue tasks only from their own services";
  }

  /** Sends a request and waits for its reply of {@code type}. */
  JsonNode request(HubConnection hub, ClientFrame frame, String what, String type) {
    hub.send(frame);
    return hub.await(connection.connectTimeout(), what, type);
  }
}
