package io.cmws.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the hub's admin endpoint, when there is one: heap in use, and heap after a GC. */
final class HubProbe {
  /** The hub's CPU time in nanoseconds, from {@code /metrics}. */
  static final String CPU = "cmws_process_cpu_nanoseconds_total";

  /** The hub's resident memory in bytes, from {@code /metrics}. */
  static final String RESIDENT = "cmws_process_resident_bytes";

  private final URI admin;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  HubProbe(URI admin) {
    this.admin = admin;
  }

  /** The admin URL given, or the default one (WebSocket port + 2). */
  static HubProbe of(URI admin, URI hub) {
    return new HubProbe(
        admin != null ? admin : URI.create("http://" + hub.getHost() + ":" + (hub.getPort() + 2)));
  }

  URI admin() {
    return admin;
  }

  /** Heap in use after a full GC ({@code /debug/heap}, loopback only), if reachable. */
  Optional<Long> liveHeap() {
    return get("/debug/heap")
        .flatMap(
            body -> {
              try {
                JsonNode json = Json.parse(body);
                return Optional.of(json.get("usedBytes").asLong());
              } catch (Exception e) {
                return Optional.empty();
              }
            });
  }

  /** {@code /debug/heap} whole: heap after a GC, open connections and threads; if reachable. */
  Optional<JsonNode> afterGc() {
    return get("/debug/heap")
        .flatMap(
            body -> {
              try {
                return Optional.of(Json.parse(body));
              } catch (Exception e) {
                return Optional.empty();
              }
            });
  }

  /** A gauge or counter from {@code /metrics}, if reachable. */
  Optional<Long> metric(String name) {
    return get("/metrics")
        .flatMap(
            body -> {
              Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)").matcher(body);
              return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
            });
  }

  private Optional<String> get(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(admin.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
