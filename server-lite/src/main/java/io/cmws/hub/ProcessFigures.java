package io.cmws.hub;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the hub process costs the machine, for {@code /metrics}: CPU time (so a benchmark can divide
 * it by deliveries) and resident memory (so it can divide by connections). Either is left out where
 * the platform does not say.
 */
final class ProcessFigures {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessFigures() {}

  static void write(PrometheusText out) {
    if (ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        && os.getProcessCpuTime() >= 0) {
      out.counter(
          "cmws_process_cpu_nanoseconds_total",
          "CPU time used by the hub process, user and system",
          os.getProcessCpuTime());
    }
    long rss = residentBytes();
    if (rss > 0) {
      out.gauge("cmws_process_resident_bytes", "Resident memory of the hub process", rss);
    }
  }

  /** VmRSS from /proc (Linux); 0 elsewhere. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no procfs
    }
    return 0;
  }
}
