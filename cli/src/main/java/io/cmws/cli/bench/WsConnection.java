package io.cmws.cli.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client connection of a {@link WsLoop}. All methods but {@link #send} run on the loop thread.
 */
final class WsConnection {
  /** Callbacks on the loop thread; must be quick. */
  interface Listener {
    default void onOpen(WsConnection connection) {}

    /** A complete text message; {@code payload} is only valid during the call. */
    void onText(WsConnection connection, ByteBuffer payload);

    default void onClose(WsConnection connection, String why) {}
  }

  private final WsLoop loop;
  private final URI url;
  private final Listener listener;
  private final ArrayDeque<ByteBuffer> outgoing = new ArrayDeque<>();
  private SocketChannel channel;
  private SelectionKey key;
  private ByteBuffer in = ByteBuffer.allocate(64 * 1024);
  private ByteBuffer message; // text being reassembled from fragments
  private boolean handshaken;
  private volatile boolean open;
  private volatile boolean closed;

  WsConnection(WsLoop loop, URI url, Listener listener) {
    this.loop = loop;
    this.url = url;
    this.listener = listener;
  }

  boolean isOpen() {
    return open;
  }

  boolean isClosed() {
    return closed;
  }

  void attach(SocketChannel socket, SelectionKey selectionKey) {
    this.channel = socket;
    this.key = selectionKey;
  }

  /** Queues a text frame; thread-safe. */
  void send(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer frame = maskedText(payload);
    loop.execute(
        () -> {
          outgoing.add(frame);
          if (key != null && key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
          }
        });
  }

  void close() {
    loop.execute(() -> failed(new IOException("closed by the bench")));
  }

  void finishConnect() throws IOException {
    channel.finishConnect();
    String request =
        "GET "
            + url.getRawPath()
            + " HTTP/1.1\r\nHost: "
            + url.getHost()
            + ":"
            + url.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(new byte[16])
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    outgoing.addFirst(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
  }

  void flush() throws IOException {
    while (!outgoing.isEmpty()) {
      ByteBuffer head = outgoing.peek();
      channel.write(head);
      if (head.hasRemaining()) {
        return;
      }
      outgoing.poll();
    }
    key.interestOps(SelectionKey.OP_READ);
  }

  void read() throws IOException {
    if (!in.hasRemaining()) {
      ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
      in.flip();
      bigger.put(in);
      in = bigger;
    }
    int n = channel.read(in);
    if (n < 0) {
      failed(new IOException("closed by the hub"));
      return;
    }
    in.flip();
    if (!handshaken && !readHandshake()) {
      in.compact();
      return;
    }
    while (parseFrame()) {
      // one frame handled per round
    }
    in.compact();
  }

  private boolean readHandshake() throws IOException {
    for (int i = in.position(); i + 3 < in.limit(); i++) {
      if (in.get(i) == '\r'
          && in.get(i + 1) == '\n'
          && in.get(i + 2) == '\r'
          && in.get(i + 3) == '\n') {
        byte[] head = new byte[i + 4 - in.position()];
        in.get(head);
        if (!new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
          throw new IOException("handshake refused");
        }
        handshaken = true;
        open = true;
        listener.onOpen(this);
        return true;
      }
    }
    return false;
  }

  /** Parses one complete frame at the buffer's position; false if it is not all here yet. */
  private boolean parseFrame() throws IOException {
    int start = in.position();
    if (in.remaining() < 2) {
      return false;
    }
    int b0 = in.get(start) & 0xff;
    int b1 = in.get(start + 1) & 0xff;
    int header = 2;
    long length = b1 & 0x7f;
    if (length == 126) {
      if (in.remaining() < 4) {
        return false;
      }
      length = in.getShort(start + 2) & 0xffff;
      header = 4;
    } else if (length == 127) {
      if (in.remaining() < 10) {
        return false;
      }
      length = in.getLong(start + 2);
      header = 10;
    }
    if (in.remaining() < header + length) {
      if (in.capacity() < header + length) {
        ByteBuffer bigger = ByteBuffer.allocate((int) (header + length) * 2);
        bigger.put(in);
        bigger.flip();
        in = bigger;
      }
      return false;
    }
    int opcode = b0 & 0x0f;
    boolean fin = (b0 & 0x80) != 0;
    ByteBuffer payload = in.duplicate();
    payload.position(start + header).limit(start + header + (int) length);
    in.position(start + header + (int) length);
    switch (opcode) {
      case 0x1, 0x0 -> text(payload, fin, opcode == 0x0);
      case 0x8 -> failed(new IOException("hub closed the connection"));
      case 0x9 -> sendControl(0xA, payload); // ping → pong
      default -> {}
    }
    return true;
  }

  private void text(ByteBuffer payload, boolean fin, boolean continuation) {
    if (!continuation && fin) {
      listener.onText(this, payload);
      return;
    }
    if (!continuation) {
      message = ByteBuffer.allocate(Math.max(1024, payload.remaining() * 2));
    }
    if (message.remaining() < payload.remaining()) {
      ByteBuffer bigger = ByteBuffer.allocate((message.position() + payload.remaining()) * 2);
      message.flip();
      bigger.put(message);
      message = bigger;
    }
    message.put(payload);
    if (fin) {
      message.flip();
      listener.onText(this, message);
      message = null;
    }
  }

  private void sendControl(int opcode, ByteBuffer payload) {
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    ByteBuffer frame = masked(opcode, bytes);
    outgoing.add(frame);
    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
  }

  void failed(Exception why) {
    if (closed) {
      return;
    }
    closed = true;
    open = false;
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
    listener.onClose(this, why.getMessage());
  }

  static ByteBuffer maskedText(byte[] payload) {
    return masked(0x1, payload);
  }

  private static ByteBuffer masked(int opcode, byte[] payload) {
    int length = payload.length;
    int header = length < 126 ? 2 : length <= 0xffff ? 4 : 10;
    ByteBuffer frame = ByteBuffer.allocate(header + 4 + length);
    frame.put((byte) (0x80 | opcode));
    if (length < 126) {
      frame.put((byte) (0x80 | length));
    } else if (length <= 0xffff) {
      frame.put((byte) (0x80 | 126));
      frame.putShort((short) length);
    } else {
      frame.put((byte) (0x80 | 127));
      frame.putLong(length);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.put(mask);
    for (int i = 0; i < length; i++) {
      frame.put((byte) (payload[i] ^ mask[i & 3]));
    }
    frame.flip();
    return frame;
  }
}
