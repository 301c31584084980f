package io.cmws.hub;

import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.ProtocolException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Which handler takes which frame type. Each frame family registers its own types; the hub looks
 * the handler up by the frame's class. Filled once while the hub is built, read-only afterwards.
 */
final class FrameRoutes {
  private record Route(boolean needsAuth, BiConsumer<Connection, ClientFrame> handler) {}

  private final Map<Class<? extends ClientFrame>, Route> routes = new HashMap<>();
  private BiConsumer<Connection, ClientFrame> otherwise;

  /** Frames any connection may send, authenticated or not ({@code auth}, {@code ping}, ...). */
  <F extends ClientFrame> void any(Class<F> type, BiConsumer<Connection, F> handler) {
    add(type, false, handler);
  }

  /** Frames only an authenticated connection may send. */
  <F extends ClientFrame> void authenticated(Class<F> type, BiConsumer<Connection, F> handler) {
    add(type, true, handler);
  }

  private <F extends ClientFrame> void add(
      Class<F> type, boolean needsAuth, BiConsumer<Connection, F> handler) {
    if (routes.put(type, new Route(needsAuth, (c, f) -> handler.accept(c, type.cast(f)))) != null) {
      throw new IllegalStateException(type.getSimpleName() + " has two handlers");
    }
  }

  /** What to do with frame types that have no route here (an endpoint speaking a subset). */
  void otherwise(BiConsumer<Connection, ClientFrame> handler) {
    this.otherwise = handler;
  }

  /** Runs the handler of {@code frame}'s type; throws what the handler throws. */
  void dispatch(Connection connection, ClientFrame frame) {
    Route route = routes.get(frame.getClass());
    if (route == null && otherwise != null) {
      otherwise.accept(connection, frame);
      return;
    }
    if (route == null) {
      throw new IllegalStateException("no handler for " + frame.getClass().getSimpleName());
    }
    if (route.needsAuth() && !connection.isAuthenticated()) {
      throw new ProtocolException(
          ErrorCode.UNAUTHENTICATED, "Not authenticated: send auth (or register) first");
    }
    route.handler().accept(connection, frame);
  }

  /** Whether every frame type has a handler; the hub checks this once at start. */
  boolean coversAll() {
    for (Class<?> type : ClientFrame.class.getPermittedSubclasses()) {
      if (!routes.containsKey(type)) {
        return false;
      }
    }
    return true;
  }
}
