package io.cmws.cli.worker;

import io.cmws.cli.client.HubUrls;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds a worker from command-line settings and runs it, with SIGTERM meaning "drain, then exit
 * 0".
 */
public final class WorkerLauncher {
  private final WorkerRuntime runtime;
  private final Duration drainTimeout;

  private WorkerLauncher(WorkerRuntime runtime, Duration drainTimeout) {
    this.runtime = runtime;
    this.drainTimeout = drainTimeout;
  }

  /** Validates the settings; problems are usage errors (exit 2). */
  public static WorkerLauncher prepare(
      List<String> mappings,
      List<Path> pluginDirs,
      String name,
      List<String> capabilities,
      int concurrency,
      HubUrls hubs,
      String token,
      Duration connectTimeout,
      Duration heartbeat,
      Duration drainTimeout,
      Duration taskTimeout,
      String version,
      PrintWriter out,
      PrintWriter err,
      boolean json,
      boolean quiet) {
    ExecutorRegistry registry;
    try {
      registry = ExecutorRegistry.build(mappings, pluginDirs);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    List<String> announced = new ArrayList<>();
    for (String capability : capabilities) {
      if (!capability.isBlank()) {
        announced.add(capability.trim());
      }
    }
    if (announced.isEmpty()) {
      announced.addAll(registry.keys());
    }
    if (announced.isEmpty()) {
      throw CliException.usage(
          "no capabilities: give --capabilities a,b (or --executor KEY=SPEC mappings)");
    }
    for (String capability : announced) {
      if (registry.find(capability, capability).isEmpty()) {
        err.println(
            "cmws: warning: no executor for capability '"
                + capability
                + "'; its tasks will be refused");
      }
    }
    WorkerSettings settings =
        new WorkerSettings(
            hubs,
            token,
            connectTimeout,
            name,
            List.copyOf(announced),
            concurrency,
            heartbeat,
            drainTimeout,
            taskTimeout,
            version);
    return new WorkerLauncher(
        new WorkerRuntime(
            settings, registry, new WorkerLog(out, err, json, quiet), System::nanoTime),
        drainTimeout);
  }

  /** Runs until stopped; as the cmws process, SIGTERM drains and then exits 0. */
  public int run(boolean processMode) {
    AtomicBoolean returned = new AtomicBoolean();
    if (processMode) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    if (returned.get()) {
                      return; // an ordinary exit with the worker's own exit code, not a signal
                    }
                    runtime.requestStop();
                    try {
                      runtime.awaitStopped(drainTimeout.plusSeconds(10));
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    System.err.flush();
                    System.out.flush();
                    Runtime.getRuntime().halt(ExitCode.OK); // SIGTERM would otherwise exit 143
                  },
                  "cmws-worker-shutdown"));
    }
    try {
      return runtime.run();
    } finally {
      returned.set(true);
    }
  }
}
