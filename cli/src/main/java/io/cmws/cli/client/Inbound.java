package io.cmws.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

/** Something that arrived from the hub: a frame, or the end of the connection. */
public sealed interface Inbound {

  record Frame(String type, JsonNode node) implements Inbound {}

  /**
   * {@code remote}: the hub (or the network) closed it rather than we. Code 1006: no close frame.
   */
  record Closed(int code, String reason, boolean remote) implements Inbound {
    public String describe() {
      String text = reason == null || reason.isBlank() ? "" : " " + reason;
      return "closed (" + code + text + ")";
    }
  }
}
