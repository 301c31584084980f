package io.cmws.cli;

import io.cmws.cli.command.CommandLines;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point. {@link #run} is what tests call: commands never touch System.out, System.err or
 * System.exit, so the same classes run in-process; only {@link #main} is the {@code cmws} process.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    CmwsCommand root = new CmwsCommand(System.in, System.getenv(), System.console() != null, true);
    int code = run(root, out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
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
    return run(new CmwsCommand(in, env, stdoutIsTerminal, false), out, err, args);
  }

  private static int run(CmwsCommand root, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = commandLine(root, args);
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
    return CommandLines.configure(commandLine);
  }
}
