package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.EventMessage;
import java.util.List;
import java.util.Objects;

/**
 * What an SSE-writer claimed in its {@code auth}, and the server-side delivery filter of
 * reference-protocol §4.6: it receives only its own session's {@code session:*}, {@code
 * writer:pause}/{@code writer:resume} and matching {@code claudemd:ready} events.
 */
public record SseWriterIdentity(String sessionId, String project, String workingDirectory) {
  /** The patterns an SSE-writer is subscribed to on auth, in the reference's order. */
  public static final List<String> AUTO_SUBSCRIPTIONS =
      List.of("claudemd:*", "writer:*", "session:*");

  public boolean accepts(EventMessage event) {
    JsonNode data = event.data();
    if (data == null || !data.isObject()) {
      return false;
    }
    String channel = event.channel();
    if (channel.equals("claudemd:ready")) {
      return equalsText(data, "contentSessionId", sessionId)
          && equalsText(data, "project", project);
    }
    if (channel.equals("writer:pause")
        || channel.equals("writer:resume")
        || channel.startsWith("session:")) {
      return equalsText(data, "sessionId", sessionId);
    }
    return false;
  }

  private static boolean equalsText(JsonNode data, String field, String expected) {
    JsonNode value = data.get(field);
    return expected != null
        && value != null
        && value.isTextual()
        && Objects.equals(value.asText(), expected);
  }
}
