package io.cmws.cli.client;

/**
 * What the other side of a connection is, told by its greeting: each understands a different set of
 * a worker's goodbye frames, and a frame it does not know is a warning in its log.
 */
public enum HubKind {
  /** Greets with {@code connection:pending} naming {@code "server":"cmws"}: knows everything. */
  CMWS(true, true),
  /** claude-mem's backend: greets without a server name; knows neither drain nor shutdown. */
  CLAUDE_MEM_BACKEND(false, false),
  /** claude-mem's standalone worker hub: no greeting at all; knows shutdown, not drain. */
  CLAUDE_MEM_HUB(false, true);

  private final boolean drain;
  private final boolean shutdown;

  HubKind(boolean drain, boolean shutdown) {
    this.drain = drain;
    this.shutdown = shutdown;
  }

  /** Decided once a reply has arrived: a greeting, if any, comes before every reply. */
  public static HubKind of(HubClient client) {
    if (client.isCmwsHub()) {
      return CMWS;
    }
    return client.greeting().isPresent() ? CLAUDE_MEM_BACKEND : CLAUDE_MEM_HUB;
  }

  /** Whether a worker may announce {@code drain} (no new tasks, finishing the running ones). */
  public boolean understandsDrain() {
    return drain;
  }

  /** Whether a worker may say {@code shutdown} before it closes. */
  public boolean understandsShutdown() {
    return shutdown;
  }
}
