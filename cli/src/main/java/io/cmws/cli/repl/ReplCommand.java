package io.cmws.cli.repl;

import io.cmws.cli.command.BaseCommand;
import io.cmws.cli.option.ConnectionOptions;
import io.cmws.cli.output.Style;
import io.cmws.cli.support.CliException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cmws repl}: an interactive shell on one hub connection. */
@Command(
    name = "repl",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Debug a hub live: an interactive shell on one connection.",
      "Events print above the prompt while you type; Tab completes commands,",
      "options and known channels; 'help' lists the commands. Without a",
      "terminal, commands are read from stdin as a script and the exit code",
      "is that of the first failed command."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:all commands succeeded (interactive: always)",
      "2-5:the first failed command's code"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws repl",
      "  cmws repl --url ws://hub.example:37777/ws --token \"$CMWS_TOKEN\"",
      "  printf 'subscribe demo:*\\npublish demo:x 1\\nawait demo:*\\n' | cmws repl"
    })
public final class ReplCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print frames as they come, one JSON line each.")
  boolean json;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description = "auto, always or never (default ${DEFAULT-VALUE}).")
  String color;

  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() throws IOException {
    boolean terminal = root().stdoutIsTerminal();
    Style style = Style.decide(color, terminal, root().env());
    Repl repl =
        new Repl(
            connection.url(),
            connection.token(),
            connection.connectTimeout(),
            json,
            terminal,
            style,
            root().env());
    if (terminal) {
      try (Terminal tty = TerminalBuilder.builder().system(true).build()) {
        return repl.runInteractive(tty);
      }
    }
    if (connection.url() == null) {
      throw CliException.usage("no hub URL");
    }
    return repl.runScript(
        new BufferedReader(new InputStreamReader(root().stdin(), StandardCharsets.UTF_8)),
        out(),
        err());
  }
}
