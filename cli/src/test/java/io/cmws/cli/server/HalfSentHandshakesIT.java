package io.cmws.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CliRun;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 2000 connections from one process that send half an upgrade request and then nothing: the hub
 * keeps serving meanwhile, closes every one of them after {@code --handshake-timeout}, and gives
 * their memory back.
 */
class HalfSentHandshakesIT {
  static final int SOCKETS = 2000;
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final long CLOSED_WITHIN_NANOS = Duration.ofSeconds(4).toNanos();
  static final long HEAP_SLACK = 5L * 1024 * 1024;

  private final HttpClient http = HttpClient.newHttpClient();

  private String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private long gauge(String admin) throws Exception {
    Matcher m =
        Pattern.compile("(?m)^cmws_handshakes_pending (\\d+)").matcher(get(admin + "/metrics"));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private long heapAfterGc(String admin) throws Exception {
    return Json.parse(get(admin + "/debug/heap")).get("usedBytes").asLong();
  }

  private static void publishRoundTrip(URI url) throws Exception {
    CliRun publish =
        CliRun.run("publish", "demo:x", "{\"n\":1}", "--url", url.toString(), "--timeout", "10s");
    assertEquals(0, publish.exitCode(), publish.stderr().toString());
    assertTrue(
        publish.stderr().toString().contains("published 1 event to demo:x"),
        publish.stderr().toString());
  }

  @Test
  @Timeout(120)
  void theHubServesOthersClosesEveryOneAfterTheTimeoutAndGivesTheMemoryBack() throws Exception {
    try (CmwsProcess hub =
        CmwsProcess.start(
            "serve", "--port", "0", "--json", "--ephemeral", "--handshake-timeout", "2s")) {
      JsonNode listening = Json.parse(hub.out.next(Duration.ofSeconds(20)));
      URI url = URI.create(listening.get("url").asText());
      String admin = listening.get("adminUrl").asText();
      publishRoundTrip(url); // every path the test uses is warm before the heap is read
      long heapBefore = heapAfterGc(admin);

      byte[] half = ("GET /ws HTTP/1.1\r\nHost: x\r\n").getBytes(StandardCharsets.US_ASCII);
      List<SocketChannel> sockets = new ArrayList<>();
      long[] sentAt = new long[SOCKETS];
      long[] endedAt = new long[SOCKETS];
      try (Selector selector = Selector.open()) {
        for (int i = 0; i < SOCKETS; i++) {
          SocketChannel socket =
              SocketChannel.open(new InetSocketAddress(url.getHost(), url.getPort()));
          socket.write(ByteBuffer.wrap(half));
          sentAt[i] = System.nanoTime();
          socket.configureBlocking(false);
          socket.register(selector, SelectionKey.OP_READ, i);
          sockets.add(socket);
        }
        long pending = gauge(admin);
        assertTrue(pending > 0, "unfinished handshakes show in /metrics: " + pending);
        publishRoundTrip(url); // while they hang, the hub serves everyone else

        int ended = awaitEveryEnd(selector, endedAt, Duration.ofSeconds(20));
        assertEquals(SOCKETS, ended, "every half-sent handshake was closed by the hub");
        long slowest = 0;
        for (int i = 0; i < SOCKETS; i++) {
          slowest = Math.max(slowest, endedAt[i] - sentAt[i]);
        }
        assertTrue(
            slowest <= CLOSED_WITHIN_NANOS, "slowest close after " + slowest / 1_000_000 + " ms");
      } finally {
        for (SocketChannel socket : sockets) {
          socket.close();
        }
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gauge(admin) == 0);
      assertTrue(
          get(admin + "/metrics")
              .contains("cmws_limit_rejections_total{limit=\"handshake_timeout\"} " + SOCKETS));
      long heapAfter = heapAfterGc(admin);
      assertTrue(
          heapAfter - heapBefore <= HEAP_SLACK,
          "heap after GC " + heapBefore / 1024 + " KiB -> " + heapAfter / 1024 + " KiB");
      System.out.printf(
          "half-sent handshakes: %d closed; heap after GC %d KiB -> %d KiB%n",
          SOCKETS, heapBefore / 1024, heapAfter / 1024);
      publishRoundTrip(url);
    }
  }

  /** Reads every socket to its end; the number that ended before {@code limit}. */
  private static int awaitEveryEnd(Selector selector, long[] endedAt, Duration limit)
      throws IOException {
    ByteBuffer discard = ByteBuffer.allocate(4096);
    long deadline = System.nanoTime() + limit.toNanos();
    int ended = 0;
    while (ended < endedAt.length && System.nanoTime() < deadline) {
      selector.select(200);
      for (SelectionKey key : selector.selectedKeys()) {
        SocketChannel socket = (SocketChannel) key.channel();
        int read;
        try {
          discard.clear();
          read = socket.read(discard);
        } catch (IOException reset) {
          read = -1;
        }
        if (read < 0) {
          endedAt[(Integer) key.attachment()] = System.nanoTime();
          key.cancel();
          ended++;
        }
      }
      selector.selectedKeys().clear();
    }
    return ended;
  }
}
