package io.cmws.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare socket that authenticates, subscribes, and then never reads again: a
 * stalled consumer. Its receive buffer is small so the hub feels it soon.
 */
public final class StalledClient implements AutoCloseable {
  private final Socket socket;

  private StalledClient(Socket socket) {
    this.socket = socket;
  }

  public static StalledClient subscribe(URI url, String pattern) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.setSoTimeout(10_000);
    socket.connect(new java.net.InetSocketAddress(url.getHost(), url.getPort()), 10_000);
    OutputStream out = socket.getOutputStream();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    String key = Base64.getEncoder().encodeToString(new byte[16]);
    out.write(
        ("GET "
                + url.getPath()
                + " HTTP/1.1\r\nHost: "
                + url.getHost()
                + ":"
                + url.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    String headers = readHeaders(in);
    if (!headers.startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + headers);
    }
    send(out, "{\"type\":\"auth\"}");
    send(out, "{\"type\":\"subscribe\",\"channels\":[\"" + pattern + "\"]}");
    while (!readFrame(in).contains("\"subscribed\"")) {
      // greeting and auth:success go by
    }
    return new StalledClient(socket);
  }

  /** Whether the hub has closed the connection: a read sees the end of the stream or a reset. */
  public boolean isClosedByHub() {
    return socket.isClosed();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static String readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the handshake");
      }
      headers.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return headers.toString(StandardCharsets.US_ASCII);
  }

  private static String readFrame(DataInputStream in) throws IOException {
    in.readUnsignedByte();
    int length = in.readUnsignedByte() & 0x7f;
    long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
    byte[] payload = new byte[(int) size];
    in.readFully(payload);
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** A masked text frame, as clients must send. */
  private static void send(OutputStream out, String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    frame.write(0x80 | payload.length); // test frames are short
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }
}
