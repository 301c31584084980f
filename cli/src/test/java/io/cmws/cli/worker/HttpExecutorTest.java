package io.cmws.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cmws.executor.TaskFailedException;
import io.cmws.protocol.Json;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpExecutorTest {
  private HttpServer server;
  private final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          String path = exchange.getRequestURI().getPath();
          int status = Integer.parseInt(path.substring(1, 4));
          if (path.endsWith("/slow")) {
            try {
              Thread.sleep(3000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body =
              (status == 200 ? "{\"ok\":true}" : "broken " + status)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private JsonNode call(String path, Duration timeout) throws Exception {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return new HttpExecutor(url).execute(new FakeContext(Json.parseOrString("{\"n\":1}"), timeout));
  }

  @Test
  void postsTheTaskAndReturnsTheBody() throws Exception {
    assertEquals(Json.parse("{\"ok\":true}"), call("/200", Duration.ofSeconds(5)));
    JsonNode sent = Json.parse(bodies.take());
    assertEquals("t-1", sent.get("id").asText());
    assertEquals("demo", sent.get("type").asText());
    assertEquals(2, sent.get("attempt").asInt());
    assertEquals(1, sent.get("payload").get("n").asInt());
  }

  @Test
  void serverErrorsAndTimeoutsAreRetryableClientErrorsAreNot() {
    TaskFailedException server500 =
        assertThrows(TaskFailedException.class, () -> call("/503", Duration.ofSeconds(5)));
    assertTrue(server500.retryable());
    assertTrue(server500.getMessage().contains("answered 503: broken 503"), server500.getMessage());
    assertFalse(
        assertThrows(TaskFailedException.class, () -> call("/404", Duration.ofSeconds(5)))
            .retryable());
    TaskFailedException slow =
        assertThrows(TaskFailedException.class, () -> call("/200/slow", Duration.ofMillis(300)));
    assertTrue(slow.retryable());
    assertTrue(slow.getMessage().contains("timed out"), slow.getMessage());
  }
}
