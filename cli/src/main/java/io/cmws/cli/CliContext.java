package io.cmws.cli;

import io.cmws.cli.client.HubSession;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What commands get from where they run: the process (the {@code cmws} command line) or the REPL,
 * which lends its one connection to every command.
 */
public interface CliContext {
  InputStream stdin();

  Map<String, String> env();

  boolean stdoutIsTerminal();

  /** A connected, authenticated session; the caller closes it. */
  HubSession openSession(URI url, String token, Duration timeout);
}
