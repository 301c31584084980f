package io.cmws.cli.command;

import io.cmws.cli.option.ConnectionOptions;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
import io.cmws.cli.support.VersionProvider;
import io.cmws.cli.worker.WorkerLauncher;
import io.cmws.protocol.ClientFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cmws worker}: take tasks from a hub and run them through executors. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Register with a hub and process tasks.",
      "Works against cmws serve, a claude-mem backend (/ws) and a claude-mem",
      "standalone hub. Each task runs in the executor mapped to its type or",
      "capability (--executor KEY=SPEC; KEY '*' for any):",
      "  shell:COMMAND  sh -c COMMAND; payload JSON on stdin; CMWS_TASK_ID,",
      "                 CMWS_TASK_TYPE, CMWS_TASK_CAPABILITY, CMWS_TASK_ATTEMPT",
      "                 set; stdout is the result; 'progress N msg' on stderr",
      "                 reports progress; exit 75 and codes outside 64-78 are",
      "                 retried, other 64-78 codes fail at once",
      "  http:URL       POST {id,type,capability,attempt,payload}; the body is",
      "                 the result; 5xx and timeouts are retried, 4xx are not",
      "  java:NAME      a TaskExecutor from a jar in --plugin DIR",
      "  echo, sleep    built in; also used for capabilities named so",
      "SIGTERM stops taking tasks, finishes running ones within --drain-timeout,",
      "says shutdown and exits 0."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by SIGTERM/Ctrl-C",
      "2:bad option or executor",
      "5:refused by the hub (token)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws worker --capabilities echo,sleep --concurrency 4",
      "  cmws worker --capabilities resize --executor 'resize=shell:./resize.sh'",
      "  cmws worker --capabilities summarize:mistral \\",
      "              --executor '*=http:http://127.0.0.1:8080/run' --token \"$TOKEN\"",
      "  cmws worker --capabilities upper --plugin ./plugins --executor 'upper=java:uppercase'"
    })
public final class WorkerCommand extends BaseCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--capabilities"},
      paramLabel = "CAP",
      split = ",",
      defaultValue = "${env:CMWS_CAPABILITIES}",
      description =
          "Capabilities to announce, comma-separated (env CMWS_CAPABILITIES). Default: the --executor keys.")
  List<String> capabilities = new ArrayList<>();

  @Option(
      names = {"-e", "--executor"},
      paramLabel = "KEY=SPEC",
      description =
          "Map a task type or capability (or '*') to shell:COMMAND, http:URL, java:NAME, echo or sleep. Repeatable.")
  List<String> executors = new ArrayList<>();

  @Option(
      names = "--exec",
      paramLabel = "COMMAND",
      description = "Shorthand for --executor '*=shell:COMMAND'.")
  String exec;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "${env:CMWS_WORKER_NAME}",
      description =
          "How a cmws hub names this worker: its id becomes NAME-<n>-... (default: the host"
              + " name; env CMWS_WORKER_NAME). claude-mem hubs choose their own ids.")
  String name;

  @Option(
      names = {"-j", "--concurrency"},
      paramLabel = "N",
      defaultValue = "${env:CMWS_CONCURRENCY:-1}",
      description =
          "Tasks run at once, announced to the hub (default ${DEFAULT-VALUE}; claude-mem hubs send one at a time).")
  int concurrency;

  @Option(
      names = "--plugin",
      paramLabel = "DIR",
      description = "Directory of plugin jars with TaskExecutor services. Repeatable.")
  List<Path> plugins = new ArrayList<>();

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "On SIGTERM, how long running tasks may finish (default ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(
      names = "--heartbeat-interval",
      paramLabel = "DURATION",
      defaultValue = "15s",
      converter = DurationConverter.class,
      description = "Heartbeat period, at most 30s for claude-mem hubs (default ${DEFAULT-VALUE}).")
  Duration heartbeatInterval;

  @Option(
      names = "--task-timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description =
          "Timeout of tasks whose assignment names none, as from claude-mem (default ${DEFAULT-VALUE}).")
  Duration taskTimeout;

  @Option(
      names = "--json",
      description =
          "Write a JSON Lines task log (registered, started, completed, failed) to stdout.")
  boolean json;

  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() {
    List<String> mappings = new ArrayList<>(executors);
    if (exec != null) {
      mappings.add("*=shell:" + exec);
    }
    if (name != null && !ClientFrame.Register.isWorkerName(name)) {
      throw CliException.usage(
          "--name must be 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    if (concurrency < 1 || concurrency > 1024) {
      throw CliException.usage("--concurrency must be 1..1024");
    }
    if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
      throw CliException.usage("--heartbeat-interval must be positive");
    }
    WorkerLauncher launcher =
        WorkerLauncher.prepare(
            mappings,
            plugins,
            name,
            capabilities,
            concurrency,
            connection.hubs(),
            connection.token(),
            connection.connectTimeout(),
            heartbeatInterval,
            drainTimeout,
            taskTimeout,
            VersionProvider.version(),
            out(),
            err(),
            json,
            verbosity.quiet());
    return launcher.run(root().processMode());
  }
}
