package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdminHttpIT {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(URI url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReportsOk() throws Exception {
    try (TestHub hub = TestHub.start()) {
      HttpResponse<String> response = get(hub.adminUrl().resolve("/health"));
      assertEquals(200, response.statusCode());
      JsonNode body = Json.parse(response.body());
      assertEquals("ok", body.get("status").asText());
      assertEquals("cmws", body.get("server").asText());
      assertEquals(404, get(hub.adminUrl().resolve("/nothing")).statusCode());
    }
  }

  @Test
  void metricsCountConnectionsEventsAndErrors() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient subscriber = hub.subscriber("m:*");
        RawClient publisher = hub.subscriber()) {
      publisher.send("{\"type\":\"publish\",\"channel\":\"m:1\",\"data\":1}").expect("published");
      subscriber.expect("event");
      publisher.send("not json").expect("error");
      String metrics = get(hub.adminUrl().resolve("/metrics")).body();
      assertTrue(metrics.contains("cmws_connections{type=\"browser\"} 2"), metrics);
      assertTrue(metrics.contains("cmws_subscriptions 1\n"), metrics);
      assertTrue(metrics.contains("cmws_events_published_total 1\n"), metrics);
      assertTrue(metrics.contains("cmws_events_delivered_total 1\n"), metrics);
      assertTrue(metrics.contains("cmws_errors_total{kind=\"bad_json\"} 1"), metrics);
      assertTrue(metrics.contains("# TYPE cmws_events_published_total counter"), metrics);
    }
  }

  @Test
  void legacySseStreamUsesTheReferenceFrames() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient publisher = hub.subscriber()) {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(hub.adminUrl().resolve("/api/stream")).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, response.statusCode());
      assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                  }
                } catch (java.io.IOException e) {
                  lines.add("closed: " + e);
                }
              },
              "sse-reader");
      reader.setDaemon(true);
      reader.start();

      String connected = lines.poll(10, TimeUnit.SECONDS);
      JsonNode hello = Json.parse(connected.substring("data: ".length()));
      assertEquals("connected", hello.get("type").asText());
      assertTrue(hello.get("data").get("clientId").asText().matches("sse-\\d+-\\d+"), connected);
      assertEquals("", lines.poll(10, TimeUnit.SECONDS));

      publisher
          .send(
              "{\"type\":\"publish\",\"channel\":\"session:started\",\"data\":{\"sessionId\":\"S1\"}}")
          .expect("published");
      String data = lines.poll(10, TimeUnit.SECONDS);
      assertTrue(data.startsWith("data: "), data);
      JsonNode frame = Json.parse(data.substring(6));
      assertEquals("session:started", frame.get("type").asText());
      assertEquals("S1", frame.get("data").get("sessionId").asText());
      assertTrue(frame.get("timestamp").isIntegralNumber());
      assertEquals(3, frame.size());
      assertEquals("", lines.poll(10, TimeUnit.SECONDS));
    }
  }
}
