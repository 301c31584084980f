package io.cmws.cli.command;

import io.cmws.cli.client.HubConnection;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What commands get from where they run: the process (the {@code cmws} command line) or the REPL,
 * which lends its one connection to every command. Called on the command's own thread.
 */
public interface CliContext {
  InputStream stdin();

  Map<String, String> env();

  boolean stdoutIsTerminal();

  /**
   * True only in the {@code cmws} process itself: then a command may end the JVM (a hub's exit code
   * after SIGTERM); in tests and in the REPL it must not.
   */
  boolean processMode();

  /** A connected, authenticated connection; the caller closes it. */
  HubConnection openConnection(URI url, String token, Duration timeout);
}
