package io.cmws.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which boot of the machine this is (Linux), so the store can tell a crash of the hub (its commits
 * are in the operating system's hands, safe) from a restart of the machine (unsynced commits may be
 * gone).
 */
final class BootId {
  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  private BootId() {}

  /** This boot's id, or null where the system does not say. */
  static String current() {
    try {
      return Files.readString(BOOT_ID).trim();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }
}
