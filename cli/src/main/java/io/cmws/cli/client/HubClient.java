package io.cmws.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ClientFrame;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * One connection to a cmws hub or a claude-mem backend. Inbound frames queue up and are taken with
 * {@link #poll}; the hub's JSON {@code ping} is answered automatically and never queued.
 */
public interface HubClient extends AutoCloseable {

  /** Connects, failing with a connection error (exit 3) after {@code timeout}. */
  static HubClient connect(URI url, Duration timeout) {
    return WsHubClient.connect(url, timeout);
  }

  URI url();

  void send(ClientFrame frame);

  /** Sends text as it is, valid JSON or not (the REPL's {@code send}, for protocol debugging). */
  void sendRaw(String text);

  /** The next frame or close, or empty after {@code timeout}. */
  Optional<Inbound> poll(Duration timeout) throws InterruptedException;

  /** The {@code connection:pending} greeting, once it has arrived. */
  Optional<JsonNode> greeting();

  /** Whether the greeting came from a cmws hub (which supports publish, seq, ...). */
  default boolean isCmwsHub() {
    return greeting().map(g -> "cmws".equals(g.path("server").asText())).orElse(false);
  }

  boolean isOpen();

  @Override
  void close();
}
