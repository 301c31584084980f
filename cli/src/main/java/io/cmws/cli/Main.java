package io.cmws.cli;

import io.cmws.cli.option.VerbosityOptions;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.Json;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Entry point. {@link #run} is what tests call: commands never touch System.out, System.err or
 * System.exit, so the same classes run in-process.
 */
public final class Main {
  private static volatile boolean processMode;

  private Main() {}

  public static void main(String[] args) {
    processMode = true;
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = run(System.in, out, err, System.getenv(), System.console() != null, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** True only when running as the {@code cmws} process, not inside tests. */
  public static boolean isProcessMode() {
    return processMode;
  }

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(InputStream.nullInputStream(), out, err, System.getenv(), false, args);
  }

  public static int run(
      InputStream in,
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      boolean stdoutIsTerminal,
      String... args) {
    CommandLine commandLine = commandLine(new CmwsCommand(in, env, stdoutIsTerminal), args);
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine.execute(args);
  }

  /** The configured, complete command tree; also used to generate the completion script. */
  public static CommandLine commandLine(CmwsCommand root) {
    return commandLine(root, new String[0]);
  }

  /**
   * The tree {@code args} need: only the named subcommand when the first argument names one
   * (start-up time), the whole tree for help, errors and the completion script.
   */
  static CommandLine commandLine(CmwsCommand root, String[] args) {
    CommandLine commandLine = new CommandLine(root);
    String first = args.length > 0 ? args[0] : "";
    if (CmwsCommand.SUBCOMMANDS.containsKey(first) && !first.equals("generate-completion")) {
      commandLine.addSubcommand(first, CmwsCommand.SUBCOMMANDS.get(first).get());
    } else {
      CmwsCommand.SUBCOMMANDS.forEach(
          (name, command) -> commandLine.addSubcommand(name, command.get()));
    }
    return configure(commandLine);
  }

  /** One exit-code mapping and error output for every command tree (the CLI's and the REPL's). */
  public static CommandLine configure(CommandLine commandLine) {
    commandLine.setExecutionStrategy(Main::execute);
    commandLine.setExecutionExceptionHandler(Main::handleFailure);
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
