package io.cmws.hub;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Kinds of client on the one endpoint, with the permissions each gets by default. */
public enum ClientType {
  /** Connected, not yet authenticated or registered. */
  PENDING("pending", EnumSet.noneOf(Permission.class)),
  BROWSER("browser", EnumSet.of(Permission.SUBSCRIBE)),
  SSE_WRITER("sse-writer", EnumSet.of(Permission.SUBSCRIBE)),
  WORKER(
      "worker",
      EnumSet.of(Permission.SUBSCRIBE, Permission.TASK_RECEIVE, Permission.TASK_COMPLETE)),
  HUB("hub", EnumSet.of(Permission.SUBSCRIBE, Permission.BROADCAST, Permission.FEDERATE)),
  /** A consumer of the legacy {@code GET /api/stream} server-sent events. */
  LEGACY_SSE("legacy-sse", EnumSet.of(Permission.SUBSCRIBE));

  private final String label;
  private final Set<Permission> defaults;

  ClientType(String label, Set<Permission> defaults) {
    this.label = label;
    this.defaults = Collections.unmodifiableSet(defaults);
  }

  /** The name used in ids, metrics and the {@code clientType} field. */
  public String label() {
    return label;
  }

  public Set<Permission> defaultPermissions() {
    return defaults;
  }
}
