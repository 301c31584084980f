package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ChannelNames;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.Json;
import io.cmws.protocol.ProtocolException;
import io.cmws.protocol.ServerFrame;
import java.util.List;
import java.util.function.Supplier;

/**
 * The pub/sub frame family and all of its rules: {@code subscribe} (permission, patterns valid,
 * room for them, inside the token's channels), {@code unsubscribe}, {@code history} and {@code
 * publish} (permission, channel valid and inside the token's channels, room for a new channel,
 * storage available). Frames arrive on the connection's transport thread and never block.
 */
final class PubSubFrames {
  private final ChannelRouter router;
  private final Replayer replayer;
  private final EventPublishing publishing;
  private final AccessPolicy access;
  private final Limits limits;
  private final HubMetrics metrics;
  private final ErrorReplies replies;
  private final Supplier<String> unavailable;

  PubSubFrames(
      ChannelRouter router,
      Replayer replayer,
      EventPublishing publishing,
      AccessPolicy access,
      Limits limits,
      HubMetrics metrics,
      ErrorReplies replies,
      Supplier<String> unavailable) {
    this.router = router;
    this.replayer = replayer;
    this.publishing = publishing;
    this.access = access;
    this.limits = limits;
    this.metrics = metrics;
    this.replies = replies;
    this.unavailable = unavailable;
  }

  void routes(FrameRoutes routes) {
    routes.authenticated(ClientFrame.Subscribe.class, this::subscribe);
    routes.authenticated(ClientFrame.Unsubscribe.class, this::unsubscribe);
    routes.authenticated(ClientFrame.History.class, this::history);
    routes.authenticated(ClientFrame.Publish.class, this::publish);
  }

  void subscribe(Connection connection, ClientFrame.Subscribe subscribe) {
    PermissionDenied.require(connection, Permission.SUBSCRIBE, "subscribe");
    requireSubscriptionRoom(connection, subscribe.channels());
    subscribe.channels().forEach(pattern -> requireInScope(connection, pattern, true));
    // all patterns are checked before anything is held: a refusal must not swallow events
    ChannelRouter.validatePatterns(subscribe.channels());
    if (subscribe.recover() != null || subscribe.last() != null) {
      replayer.subscribe(connection, subscribe);
    } else {
      subscribeLive(connection, subscribe.channels());
    }
  }

  /**
   * Subscribes; events published meanwhile wait until the {@code subscribed} reply is out, so a
   * client never sees an event of a subscription before the reply that confirms it.
   */
  private void subscribeLive(Connection connection, List<String> patterns) {
    RecoveryBuffer buffer = connection.beginRecovery();
    try {
      List<String> added = router.subscribe(connection, patterns);
      buffer.finish(
          held -> {
            connection.send(new ServerFrame.Subscribed(added));
            for (RecoveryBuffer.Held h : held) {
              connection.sink().sendEvent(h.event(), h.pattern());
            }
          });
    } finally {
      connection.endRecovery();
    }
  }

  void unsubscribe(Connection connection, ClientFrame.Unsubscribe unsubscribe) {
    connection.send(
        new ServerFrame.Unsubscribed(router.unsubscribe(connection, unsubscribe.channels())));
  }

  void history(Connection connection, ClientFrame.History request) {
    PermissionDenied.require(connection, Permission.SUBSCRIBE, "history");
    ChannelRouter.validateChannel(request.channel());
    requireInScope(connection, request.channel(), false);
    int last = request.last() == null ? 100 : Math.max(0, request.last());
    ChannelLog.Replay kept = router.history(request.channel(), last);
    List<JsonNode> events =
        kept.events().stream().map(e -> Json.parseOrString(e.replayJson(null))).toList();
    connection.send(
        new ServerFrame.HistoryInfo(
            request.id(), request.channel(), replayer.epoch(), kept.complete(), events));
  }

  void publish(Connection connection, ClientFrame.Publish publish) {
    PermissionDenied.require(connection, Permission.BROADCAST, "publish");
    ChannelRouter.validateChannel(publish.channel());
    requireInScope(connection, publish.channel(), false);
    requireChannelRoom(publish.channel());
    String why = unavailable.get();
    if (why != null) {
      throw new ProtocolException(ErrorCode.UNAVAILABLE, why);
    }
    // only a federated hub forwards events of others; anyone else's via is not believed
    List<String> via =
        connection.type() == ClientType.HUB && publish.via() != null ? publish.via() : List.of();
    publishing.publish(
        publish.channel(),
        publish.data(),
        publish.dataJson(),
        via,
        (seq, error) -> {
          if (error == null) {
            connection.send(new ServerFrame.Published(publish.id(), publish.channel(), seq));
          } else {
            replies.send(
                connection,
                publish,
                new ProtocolException(
                    ErrorCode.UNAVAILABLE, "not published: " + error.getMessage()));
          }
        });
  }

  /**
   * A token limited to some channels may use only those: a pattern must stay inside them, a channel
   * match one.
   */
  private void requireInScope(Connection connection, String patternOrChannel, boolean pattern) {
    List<String> scope = access.channelScope(connection.tokenName());
    if (scope.isEmpty()) {
      return;
    }
    boolean inside =
        scope.stream()
            .anyMatch(
                s ->
                    pattern
                        ? ChannelNames.covers(s, patternOrChannel)
                        : ChannelNames.matches(s, patternOrChannel));
    if (!inside) {
      metrics.limitRejected("token_channels");
      throw new ProtocolException(
          ErrorCode.FORBIDDEN,
          "token '"
              + connection.tokenName()
              + "' may only use channels "
              + String.join(", ", scope)
              + "; '"
              + patternOrChannel
              + "' is outside them");
    }
  }

  private void requireChannelRoom(String channel) {
    int max = limits.maxChannels();
    if (router.channels() >= max && !router.knows(channel)) {
      metrics.limitRejected("channels");
      throw new ProtocolException(
          ErrorCode.LIMIT_EXCEEDED,
          "the hub keeps at most " + max + " channels; publish on an existing one");
    }
  }

  private void requireSubscriptionRoom(Connection connection, List<String> patterns) {
    if (patterns.size() > limits.maxChannelsPerSubscribe()) {
      metrics.limitRejected("channels_per_subscribe");
      throw new ProtocolException(
          ErrorCode.LIMIT_EXCEEDED,
          "at most "
              + limits.maxChannelsPerSubscribe()
              + " channels per subscribe, got "
              + patterns.size());
    }
    long adding =
        patterns.stream().distinct().filter(p -> !connection.patterns().contains(p)).count();
    if (connection.patterns().size() + adding > limits.maxSubscriptionsPerConnection()) {
      metrics.limitRejected("subscriptions");
      throw new ProtocolException(
          ErrorCode.LIMIT_EXCEEDED,
          "at most "
              + limits.maxSubscriptionsPerConnection()
              + " subscriptions per connection; this one has "
              + connection.patterns().size());
    }
  }
}
