package io.cmws.testing;

import io.cmws.server.HubServer;
import io.cmws.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.util.function.UnaryOperator;

/** A real hub on 127.0.0.1, port 0, for one test; close it with try-with-resources. */
public final class TestHub implements AutoCloseable {
  private final HubServer server;

  private TestHub(HubServer server) {
    this.server = server;
  }

  public static TestHub start() throws IOException {
    return start(UnaryOperator.identity());
  }

  public static TestHub start(UnaryOperator<ServerConfig> customize) throws IOException {
    return new TestHub(HubServer.start(customize.apply(ServerConfig.ephemeral()), "test"));
  }

  public URI url() {
    return server.url();
  }

  public URI adminUrl() {
    return server.adminUrl().orElseThrow();
  }

  public HubServer server() {
    return server;
  }

  /** A browser-type client, authenticated and subscribed to {@code patterns}. */
  public RawClient subscriber(String... patterns) throws InterruptedException {
    RawClient client = RawClient.greeted(url());
    client.send("{\"type\":\"auth\"}").expect("auth:success");
    if (patterns.length > 0) {
      client
          .send(
              io.cmws.protocol.Json.write(
                  new io.cmws.protocol.ClientFrame.Subscribe(java.util.List.of(patterns))))
          .expect("subscribed");
    }
    return client;
  }

  /** GET on the admin endpoint, e.g. {@code /metrics}; the body. */
  public String get(String path) throws IOException, InterruptedException {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(adminUrl().resolve(path))
                    .timeout(java.time.Duration.ofSeconds(10))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  @Override
  public void close() {
    server.close();
  }
}
