package io.cmws.server;

import com.sun.net.httpserver.HttpExchange;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.ClientType;
import io.cmws.hub.Hub;
import io.cmws.hub.Permission;
import io.cmws.hub.RemotePeer;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The viewer's read-only JSON API on the admin port: {@code /api/info} (open, for pages that import
 * {@code /cmws.js}), and {@code /api/workers}, {@code /api/channels}, {@code /api/tasks}, {@code
 * /api/history} and {@code /api/hubs}, which answer exactly what the introspection frames answer.
 * Those need {@code admin}: loopback callers have it when no tokens are configured, others present
 * a token ({@code Authorization: Bearer}). Only the viewer's own origin may read them: a request
 * from another page ({@code Origin} of another site) is refused.
 */
final class ViewerApi {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  private final Hub hub;
  private final AccessPolicy access;
  private final String info;

  ViewerApi(Hub hub, AccessPolicy access, String version, String hubName, String wsUrl) {
    this.hub = hub;
    this.access = access;
    var body = Json.object();
    body.put("server", Hub.SERVER_NAME);
    body.put("version", version);
    body.put("hub", hubName);
    body.put("ws", wsUrl);
    body.put("tokens", access.hasTokens());
    this.info = Json.write(body);
  }

  void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/api/info")) {
      exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
      respond(exchange, 200, info);
      return;
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (origin != null && !origin.equals("http://" + host)) {
      respond(
          exchange, 403, error("only the hub's own viewer may read /api; this page is " + origin));
      return;
    }
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    ClientFrame request =
        switch (path) {
          case "/api/workers" -> new ClientFrame.Workers(null);
          case "/api/channels" -> new ClientFrame.Channels(null);
          case "/api/hubs" -> new ClientFrame.Hubs(null);
          case "/api/tasks" ->
              new ClientFrame.TaskList(query.get("state"), number(query, "limit"), null);
          case "/api/history" ->
              new ClientFrame.History(
                  query.getOrDefault("channel", ""), number(query, "last"), null);
          default -> null;
        };
    if (request == null) {
      respond(exchange, 404, error("no such API: " + path));
      return;
    }
    boolean proxied =
        exchange.getRequestHeaders().containsKey("X-Forwarded-For")
            || exchange.getRequestHeaders().containsKey("Forwarded");
    RemotePeer peer = RemotePeer.of(exchange.getRemoteAddress(), proxied, null);
    AccessPolicy.Decision decision =
        access.authenticate(ClientType.BROWSER, bearer(exchange), peer.loopback(), false);
    if (!(decision instanceof AccessPolicy.Decision.Granted granted)) {
      respond(exchange, 401, error(((AccessPolicy.Decision.Denied) decision).reason()));
      return;
    }
    if (!granted.permissions().contains(Permission.ADMIN)) {
      respond(exchange, 403, error("this needs a token that holds admin"));
      return;
    }
    try {
      respond(exchange, 200, hub.ask(request, granted.permissions(), ASK_TIMEOUT));
    } catch (TimeoutException e) {
      respond(
          exchange, 503, error("the hub did not answer within " + ASK_TIMEOUT.toSeconds() + " s"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 503, error("interrupted"));
    }
  }

  private static Integer number(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      return null; // the frame's default
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  static String bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).trim()
        : null;
  }

  private static String error(String message) {
    return Json.write(Json.object().put("error", message));
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
