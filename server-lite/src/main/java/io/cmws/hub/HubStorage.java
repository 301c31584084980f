package io.cmws.hub;

import io.cmws.protocol.EventMessage;
import io.cmws.tasks.TaskJournal;
import io.cmws.tasks.TaskQueue;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a hub keeps and where: its task queue and the journal behind it, the history epoch, the
 * kept channels to restore, and who hears about each published event (to persist it).
 */
public record HubStorage(
    TaskQueue queue, TaskJournal journal, String epoch, List<KeptChannel> channels, Consumer<EventMessage> onPublished) {

  /** A channel's seq counter and kept events (oldest first), as found at startup. */
  public record KeptChannel(String channel, long lastSeq, List<EventMessage> events) {}

  /** Nothing survives the process: {@code --ephemeral}, and tests. */
  public static HubStorage ephemeral(HubConfig config) {
    return new HubStorage(config.tasks().newQueue(), TaskJournal.NONE, Hub.freshEpoch(), List.of(), event -> { });
  }
}
