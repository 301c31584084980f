package io.cmws.cli.worker;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Kills a process and everything it started, children first so none is reparented and missed. */
final class ProcessTrees {
  private ProcessTrees() {}

  static void kill(ProcessHandle root) {
    for (int round = 0; round < 3; round++) {
      List<ProcessHandle> descendants = root.descendants().toList();
      descendants.forEach(ProcessHandle::destroyForcibly);
      if (descendants.isEmpty()) {
        break;
      }
    }
    root.destroyForcibly();
    try {
      root.onExit().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // it was told to die; waiting is a courtesy
    }
  }
}
