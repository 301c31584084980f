package io.cmws.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cmws bench}: load workloads against any hub that speaks the protocol. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {"Measure a hub: fan-out, task throughput, connections."},
    subcommands = {PubSubBench.class, TaskBench.class, ConnectionBench.class, SoakBench.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws bench pubsub --subscribers 1000 --json",
      "  cmws bench tasks --concurrency 32",
      "  cmws bench connections --connections 10000"
    })
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing workload: pubsub, tasks or connections");
  }
}
