package io.cmws.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.hub.Hub;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events between this hub and its parent. Each carries {@code via}, the hubs it passed through from
 * where it was published, so that in a chain or a loop of hubs none arrives twice or goes back
 * where it came from.
 */
final class UpstreamEvents {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamEvents.class);

  private final Hub hub;
  private final String self;

  UpstreamEvents(Hub hub, String self) {
    this.hub = hub;
    this.self = self;
  }

  /** The {@code publish} for the parent, unless the event came from the parent. */
  Optional<ObjectNode> up(EventMessage event, String parentName) {
    if (parentName != null && event.via().contains(parentName)) {
      return Optional.empty();
    }
    List<String> via = new ArrayList<>(event.via());
    via.add(self);
    ObjectNode publish = Json.object().put("type", "publish").put("channel", event.channel());
    publish.set("data", event.data());
    publish.set("via", Json.MAPPER.valueToTree(via));
    return Optional.of(publish);
  }

  /** Publishes the parent's event here, unless it started here or passed through here. */
  void down(JsonNode event, String parentName) {
    List<String> via = new ArrayList<>();
    event.path("via").forEach(hop -> via.add(hop.asText()));
    if (via.contains(self)) {
      return;
    }
    via.add(parentName == null ? "upstream" : parentName);
    try {
      hub.publish(event.path("channel").asText(), event.get("data"), via);
    } catch (RuntimeException e) {
      LOG.warn("cannot republish {} from the parent hub: {}", event.path("channel"), e.toString());
    }
  }
}
