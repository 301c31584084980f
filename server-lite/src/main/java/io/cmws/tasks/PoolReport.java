package io.cmws.tasks;

import java.util.List;

/**
 * What a federated hub says of itself in {@code hub:register} and {@code hub:health}: its health,
 * capabilities (null: unchanged), free slots (a cmws hub) or connected and active workers
 * (claude-mem's, whose workers take one task each), its latency, and (a cmws hub) the ids of this
 * hub's tasks it holds, null if it does not say.
 */
public record PoolReport(
    String status,
    List<String> capabilities,
    Integer freeSlots,
    Integer connectedWorkers,
    Integer activeWorkers,
    Double avgLatencyMs,
    List<String> running) {}
