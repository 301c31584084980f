package io.cmws.cli.bench;

import io.cmws.cli.support.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --warmup}: for workloads whose first seconds measure the JIT compilers, not the hub. */
final class Warmup {
  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description =
          "Run the workload this long before measuring (default ${DEFAULT-VALUE}; 0 to measure from the start).")
  Duration duration;
}
