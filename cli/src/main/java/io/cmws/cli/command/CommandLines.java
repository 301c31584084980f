package io.cmws.cli.command;

import io.cmws.cli.option.VerbosityOptions;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.Json;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** How every command tree runs, the CLI's and the REPL's: logging, exit codes, error output. */
public final class CommandLines {
  private CommandLines() {}

  /** One exit-code mapping and error output for every command tree (the CLI's and the REPL's). */
  public static CommandLine configure(CommandLine commandLine) {
    commandLine.setExecutionStrategy(CommandLines::execute);
    commandLine.setExecutionExceptionHandler(CommandLines::handleFailure);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine;
  }

  private static int execute(ParseResult parseResult) {
    configureLogging(parseResult);
    return new CommandLine.RunLast().execute(parseResult);
  }

  /** slf4j-simple reads its level once, at the first logger: set it before anything logs. */
  private static void configureLogging(ParseResult parseResult) {
    int level = 0;
    for (ParseResult sub = parseResult; sub != null; sub = sub.subcommand()) {
      for (Object mixin :
          sub.commandSpec().mixins().values().stream().map(m -> m.userObject()).toList()) {
        if (mixin instanceof VerbosityOptions verbosity && (verbosity.level() != 0)) {
          level = verbosity.level();
        }
      }
    }
    String name =
        switch (level) {
          case -1 -> "error";
          case 0 -> "warn";
          case 1 -> "info";
          case 2 -> "debug";
          default -> "trace";
        };
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", name);
  }

  private static int handleFailure(Exception ex, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    boolean json =
        parseResult.subcommand() != null
            ? parseResult.subcommand().hasMatchedOption("--json")
            : parseResult.hasMatchedOption("--json");
    int code;
    String kind;
    String message;
    if (ex instanceof CliException cli) {
      code = cli.exitCode();
      kind = cli.code();
      message = cli.getMessage();
    } else if (ex instanceof IllegalArgumentException) {
      code = ExitCode.USAGE;
      kind = "USAGE";
      message = ex.getMessage();
    } else {
      code = ExitCode.FAILURE;
      kind = "FAILURE";
      message = "unexpected error: " + ex;
    }
    if (json) {
      err.println(Json.write(Map.of("type", "error", "code", kind, "message", message)));
    } else {
      err.println("cmws: " + message);
    }
    if (code == ExitCode.FAILURE || wantsStackTrace(parseResult)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static boolean wantsStackTrace(ParseResult parseResult) {
    for (ParseResult sub = parseResult; sub != null; sub = sub.subcommand()) {
      if (sub.hasMatchedOption("-x")) {
        return true;
      }
    }
    return false;
  }
}
