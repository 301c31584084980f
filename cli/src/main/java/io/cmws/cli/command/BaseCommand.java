package io.cmws.cli.command;

import io.cmws.cli.option.VerbosityOptions;
import io.cmws.cli.support.CliException;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every command shares: its streams, verbosity and status lines on stderr. */
public abstract class BaseCommand {
  @Spec CommandSpec spec;

  @Mixin VerbosityOptions verbosity;

  @Option(
      names = {"-x", "--stacktrace"},
      order = 92,
      description = "Show stack traces of errors.")
  boolean stacktrace;

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  protected CliContext root() {
    return (CliContext) spec.root().userObject();
  }

  /** A progress or status line on stderr, unless {@code -q}. */
  protected void status(String message) {
    if (!verbosity.quiet()) {
      err().println("cmws: " + message);
      err().flush();
    }
  }

  /** Sleeps on the command thread (backoff, --interval); an interrupt ends the command. */
  protected static void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.connection("interrupted");
    }
  }
}
