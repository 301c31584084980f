package io.cmws.cli.repl;

import io.cmws.cli.client.HubConnection;
import io.cmws.cli.command.CliContext;
import io.cmws.cli.command.PublishCommand;
import io.cmws.cli.command.TaskCommand;
import io.cmws.cli.support.ExitCode;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The commands typed at {@code cmws>}. {@code publish} and {@code task} are the command line's own
 * classes, run on the REPL's connection; the rest exist only here.
 */
@Command(
    name = "",
    description = {"Commands of the cmws REPL. 'help COMMAND' shows one in detail."},
    subcommands = {
      ReplCommands.Connect.class,
      ReplCommands.Disconnect.class,
      ReplCommands.Reconnect.class,
      ReplTraffic.Subscribe.class,
      ReplTraffic.Unsubscribe.class,
      PublishCommand.class,
      ReplTraffic.Send.class,
      ReplTraffic.Await.class,
      TaskCommand.class,
      ReplQueries.Workers.class,
      ReplQueries.Hubs.class,
      ReplQueries.Channels.class,
      ReplQueries.History.class,
      ReplQueries.Stats.class,
      ReplQueries.Status.class,
      CommandLine.HelpCommand.class,
      ReplCommands.Exit.class,
    })
final class ReplCommands implements Runnable, CliContext {
  final Repl repl;

  @Spec CommandSpec spec;

  ReplCommands(Repl repl) {
    this.repl = repl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Override
  public InputStream stdin() {
    return InputStream.nullInputStream();
  }

  @Override
  public Map<String, String> env() {
    return repl.env();
  }

  @Override
  public boolean processMode() {
    return false; // commands inside the REPL never end the process
  }

  @Override
  public boolean stdoutIsTerminal() {
    return repl.isInteractive();
  }

  /** Commands borrow the REPL's connection; their --url and --token do not apply here. */
  @Override
  public HubConnection openConnection(URI url, String token, Duration timeout) {
    return repl.state().require().borrow();
  }

  static Repl repl(CommandSpec spec) {
    return ((ReplCommands) spec.root().userObject()).repl;
  }

  @Command(
      name = "connect",
      mixinStandardHelpOptions = true,
      description = {
        "Connect (again) to the hub at URL, or the current one, and restore the subscriptions."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  connect", "  connect ws://127.0.0.1:37777/ws --token s3cret"})
  static final class Connect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        arity = "0..1",
        paramLabel = "URL",
        description = "Hub WebSocket URL (default: the current one).")
    URI url;

    @Option(
        names = "--token",
        paramLabel = "SECRET",
        description = "Token secret to authenticate with.")
    String token;

    @Override
    public Integer call() {
      repl(spec).connect(url, token);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "disconnect",
      mixinStandardHelpOptions = true,
      description = {"Close the connection."})
  static final class Disconnect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      repl(spec).disconnect();
      return ExitCode.OK;
    }
  }

  @Command(
      name = "reconnect",
      mixinStandardHelpOptions = true,
      description = {"Close and reopen the connection; subscriptions are restored."})
  static final class Reconnect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      repl(spec).connect(null, null);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "exit",
      aliases = "quit",
      mixinStandardHelpOptions = true,
      description = {"Leave the REPL (Ctrl-D does too)."})
  static final class Exit implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      repl(spec).stop();
    }
  }
}
