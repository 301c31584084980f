package io.cmws.cli;

import io.cmws.cli.bench.BenchCommand;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.command.ChannelsCommand;
import io.cmws.cli.command.CliContext;
import io.cmws.cli.command.HistoryCommand;
import io.cmws.cli.command.HubsCommand;
import io.cmws.cli.command.PublishCommand;
import io.cmws.cli.command.ServeCommand;
import io.cmws.cli.command.StatusCommand;
import io.cmws.cli.command.SubscribeCommand;
import io.cmws.cli.command.TaskCommand;
import io.cmws.cli.command.TopCommand;
import io.cmws.cli.command.WorkerCommand;
import io.cmws.cli.command.WorkersCommand;
import io.cmws.cli.repl.ReplCommand;
import io.cmws.cli.support.VersionProvider;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cmws}: the top of the command tree. Holds what commands read from the process. */
@Command(
    name = "cmws",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "A unified WebSocket hub with wildcard channels, wire-compatible with claude-mem.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success, including --count reached",
      "1:unexpected failure",
      "2:usage error (bad option, channel or pattern)",
      "3:cannot connect, or connection lost",
      "4:timed out",
      "5:rejected by the hub (auth, permission, invalid request)",
      "130:interrupted (Ctrl-C)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws serve                      # hub on ws://127.0.0.1:37777/ws",
      "  cmws subscribe 'session:*' --json",
      "  cmws publish session:started '{\"sessionId\":\"S1\"}'",
      "  source <(cmws generate-completion)   # completion in bash or zsh"
    })
public final class CmwsCommand implements Runnable, CliContext {
  /**
   * The subcommands, in help order. Built on demand: picocli reads a command's annotations when it
   * is added, and a short-lived {@code cmws publish} should not pay for the whole tree.
   */
  static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> all = new LinkedHashMap<>();
    all.put("serve", ServeCommand::new);
    all.put("subscribe", SubscribeCommand::new);
    all.put("publish", PublishCommand::new);
    all.put("worker", WorkerCommand::new);
    all.put("task", TaskCommand::new);
    all.put("status", StatusCommand::new);
    all.put("workers", WorkersCommand::new);
    all.put("channels", ChannelsCommand::new);
    all.put("history", HistoryCommand::new);
    all.put("top", TopCommand::new);
    all.put("hubs", HubsCommand::new);
    all.put("repl", ReplCommand::new);
    all.put("bench", BenchCommand::new);
    all.put("generate-completion", AutoComplete.GenerateCompletion::new);
    return Collections.unmodifiableMap(all);
  }

  private final InputStream stdin;
  private final Map<String, String> env;
  private final boolean stdoutIsTerminal;
  private final boolean processMode;

  @Spec CommandSpec spec;

  public CmwsCommand() {
    this(System.in, System.getenv(), false, false);
  }

  /** {@code processMode}: this is the {@code cmws} process itself, not a test or the REPL. */
  public CmwsCommand(
      InputStream stdin, Map<String, String> env, boolean stdoutIsTerminal, boolean processMode) {
    this.stdin = stdin;
    this.env = env;
    this.stdoutIsTerminal = stdoutIsTerminal;
    this.processMode = processMode;
  }

  @Override
  public boolean processMode() {
    return processMode;
  }

  @Override
  public HubConnection openConnection(URI url, String token, Duration timeout) {
    return HubConnection.open(url, token, timeout);
  }

  @Override
  public InputStream stdin() {
    return stdin;
  }

  @Override
  public Map<String, String> env() {
    return env;
  }

  @Override
  public boolean stdoutIsTerminal() {
    return stdoutIsTerminal;
  }

  /** {@code cmws} alone: the usage, on stderr, as a usage error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing command: try 'cmws serve', 'cmws subscribe' or 'cmws publish'");
  }
}
