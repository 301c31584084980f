package io.cmws.cli.command;

import io.cmws.cli.CmwsCommand;
import io.cmws.cli.option.VerbosityOptions;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every command shares: its streams, verbosity and status lines on stderr. */
abstract class BaseCommand {
  @Spec CommandSpec spec;

  @Mixin VerbosityOptions verbosity;

  @Option(names = {"-x", "--stacktrace"}, order = 92, description = "Show stack traces of errors.")
  boolean stacktrace;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  CmwsCommand root() {
    return (CmwsCommand) spec.root().userObject();
  }

  /** A progress or status line on stderr, unless {@code -q}. */
  void status(String message) {
    if (!verbosity.quiet()) {
      err().println("cmws: " + message);
      err().flush();
    }
  }

  /** A detail line on stderr, only with {@code -v}. */
  void detail(String message) {
    if (verbosity.level() > 0) {
      err().println("cmws: " + message);
      err().flush();
    }
  }
}
