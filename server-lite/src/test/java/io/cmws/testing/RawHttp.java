package io.cmws.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 request on a bare socket, with exactly the headers given (a {@code Host} naming
 * another site, an {@code Origin}), as a hostile page or a rebound name would send it. Java's own
 * HTTP client refuses to set {@code Host}.
 */
public final class RawHttp {
  /** The status line and headers of a response, and its body. */
  public record Response(int status, String head, String body) {}

  private RawHttp() {}

  /** A WebSocket upgrade request for {@code url} (ws://) with these extra headers. */
  public static Response upgrade(URI url, Map<String, String> headers) throws IOException {
    StringBuilder request =
        new StringBuilder("GET " + url.getPath() + " HTTP/1.1\r\n")
            .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
            .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
    return exchange(url, withHost(url, headers), request);
  }

  /** {@code GET path} on the admin endpoint {@code base} with these headers. */
  public static Response get(URI base, String path, Map<String, String> headers)
      throws IOException {
    return exchange(
        base, withHost(base, headers), new StringBuilder("GET " + path + " HTTP/1.1\r\n"));
  }

  private static Map<String, String> withHost(URI url, Map<String, String> headers) {
    if (headers.containsKey("Host")) {
      return headers;
    }
    java.util.LinkedHashMap<String, String> all = new java.util.LinkedHashMap<>(headers);
    all.put("Host", url.getHost() + ":" + url.getPort());
    return all;
  }

  private static Response exchange(URI url, Map<String, String> headers, StringBuilder request)
      throws IOException {
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
      String head = readHead(socket.getInputStream());
      String body = head.startsWith("HTTP/1.1 101") ? "" : readBody(socket.getInputStream(), head);
      return new Response(Integer.parseInt(head.substring(9, 12)), head, body);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head.size() + " bytes: " + head);
      }
      head.write(b);
      matched =
          (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static String readBody(InputStream in, String head) throws IOException {
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (!length.find()) {
      return "";
    }
    byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
    return new String(body, StandardCharsets.UTF_8);
  }
}
