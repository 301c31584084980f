package io.cmws.hub;

import io.cmws.protocol.EventMessage;
import io.cmws.tasks.TaskJournal;
import io.cmws.tasks.TaskQueue;
import io.cmws.tasks.TaskSignals;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a hub keeps and where: its task queue and the journal behind it, the history epoch, the kept
 * channels to restore, who hears about each published event (to persist it), and whether the
 * storage can take more now ({@code unavailable}: null, or why not). With a {@code bus} (several
 * hubs sharing Redis) the bus numbers events and holds the epoch instead, and {@code signals}
 * connect the task dispatchers of the hubs sharing the queue.
 */
public record HubStorage(
    TaskQueue queue,
    TaskJournal journal,
    String epoch,
    List<KeptChannel> channels,
    Consumer<EventMessage> onPublished,
    Supplier<String> unavailable,
    EventBus bus,
    TaskSignals signals) {

  /** A channel's seq counter and kept events (oldest first), as found at startup. */
  public record KeptChannel(String channel, long lastSeq, List<EventMessage> events) {}

  /** Nothing survives the process: {@code --ephemeral}, and tests. */
  public static HubStorage ephemeral(HubConfig config) {
    return new HubStorage(
        config.tasks().newQueue(),
        TaskJournal.NONE,
        Hub.freshEpoch(),
        List.of(),
        event -> {},
        () -> null,
        null,
        TaskSignals.NONE);
  }
}
