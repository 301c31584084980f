package io.cmws.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The viewer page and the browser client module, shipped in the jar ({@code io/cmws/web}) and
 * served as they are: no build step, no CDN. {@code /cmws.js} and {@code /cmws.d.ts} may be
 * imported by pages of any origin; the viewer itself may not be framed.
 */
final class WebAssets {
  private static final String ROOT = "/io/cmws/web/";

  /** The page may talk to the hub's WebSocket port; everything else comes from here. */
  private static final String PAGE_POLICY =
      "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:;"
          + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private record Asset(byte[] body, String type, boolean shared) {}

  private final Map<String, Asset> byPath = new HashMap<>();

  private WebAssets() {}

  static WebAssets load() {
    WebAssets assets = new WebAssets();
    Asset index = assets.read("index.html", "text/html; charset=utf-8", false);
    assets.byPath.put("/", index);
    assets.byPath.put("/index.html", index);
    assets.byPath.put("/viewer.js", assets.read("viewer.js", "text/javascript", false));
    assets.byPath.put("/viewer.css", assets.read("viewer.css", "text/css", false));
    assets.byPath.put("/cmws.js", assets.read("cmws.js", "text/javascript", true));
    assets.byPath.put("/cmws.d.ts", assets.read("cmws.d.ts", "application/typescript", true));
    return assets;
  }

  private Asset read(String name, String type, boolean shared) {
    try (InputStream in = WebAssets.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("missing web asset " + ROOT + name + " in the jar");
      }
      return new Asset(in.readAllBytes(), type, shared);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code path} is one of the assets. */
  boolean serves(String path) {
    return byPath.containsKey(path);
  }

  void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Asset asset = byPath.get(path);
    if (asset == null) {
      byte[] body = ("not found: " + path + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(404, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", asset.type());
    headers.set("Cache-Control", "no-cache");
    headers.set("X-Content-Type-Options", "nosniff");
    if (asset.shared()) {
      headers.set("Access-Control-Allow-Origin", "*");
    } else {
      headers.set("Content-Security-Policy", PAGE_POLICY);
      headers.set("X-Frame-Options", "DENY");
    }
    exchange.sendResponseHeaders(200, asset.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(asset.body());
    }
  }
}
