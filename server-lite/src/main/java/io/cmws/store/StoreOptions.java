package io.cmws.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded store: where ({@code dataDir}), whether channel history is persisted too, how long
 * finished tasks are kept, and whether a commit waits for the disk ({@code fsync}) or only for the
 * operating system (enough to survive a crash of the hub, not of the machine).
 */
public record StoreOptions(
    Path dataDir, boolean persistHistory, Duration retention, boolean fsync) {
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

  public StoreOptions {
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative, got " + retention);
    }
  }
}
