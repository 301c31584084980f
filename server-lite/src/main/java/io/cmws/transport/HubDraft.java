package io.cmws.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.enums.Role;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeBuilder;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.protocols.Protocol;

/**
 * RFC 6455 as the library's draft (no extensions, like the reference: permessage-deflate offers are
 * declined), with a cheaper handshake response. The library builds a {@code SimpleDateFormat} for
 * the {@code Date} header and looks up SHA-1 on every handshake: in a profile of 5 000 connects
 * about a fifth of the worker threads' handshake time. Here the date is formatted once a second and
 * each thread keeps its digest. The response is otherwise the library's, header for header.
 *
 * <p>A client's upgrade request is read by {@link HandshakeRequestParser}; frames from clients by
 * {@link ClientFrameReader} and whole text messages decoded by {@link TextPayload}: the library's
 * own decoder unmasks byte by byte and checks a text frame's UTF-8 twice, a fifth of the hub's time
 * per publish in a profile at 20 000 publishes/s.
 */
final class HubDraft extends Draft_6455 {
  private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(HubDraft::sha1);

  private record FormattedDate(long second, String text) {}

  private static volatile FormattedDate date = new FormattedDate(Long.MIN_VALUE, "");

  private final ClientFrameReader reader;
  private final TextPayload text = new TextPayload();

  /** Whether a fragmented message is under way: its frames go the library's way. */
  private boolean fragmented;

  HubDraft(int maxFrameBytes) {
    super(List.of(), List.of(new Protocol("")), maxFrameBytes);
    this.reader = new ClientFrameReader(maxFrameBytes);
  }

  @Override
  public Handshakedata translateHandshake(ByteBuffer buffer) throws InvalidHandshakeException {
    if (getRole() != Role.SERVER) {
      return super.translateHandshake(buffer);
    }
    return HandshakeRequestParser.parse(buffer);
  }

  @Override
  public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
    return reader.read(buffer);
  }

  @Override
  public void processFrame(WebSocketImpl socket, Framedata frame) throws InvalidDataException {
    Opcode opcode = frame.getOpcode();
    if (opcode == Opcode.TEXT && frame.isFin() && !fragmented) {
      String message = text.decode(frame.getPayloadData());
      try {
        socket.getWebSocketListener().onWebsocketMessage(socket, message);
      } catch (RuntimeException e) {
        // as the library does: the listener's failure is reported, not fatal to the connection
        socket.getWebSocketListener().onWebsocketError(socket, e);
      }
      return;
    }
    if (opcode == Opcode.TEXT || opcode == Opcode.BINARY) {
      fragmented = !frame.isFin();
    } else if (opcode == Opcode.CONTINUOUS && frame.isFin()) {
      fragmented = false;
    }
    super.processFrame(socket, frame);
  }

  @Override
  public void reset() {
    super.reset();
    reader.reset();
    fragmented = false;
  }

  /** One per connection: the negotiated protocol and the frame decoder's state live here. */
  @Override
  public Draft copyInstance() {
    return new HubDraft(getMaxFrameSize());
  }

  @Override
  public HandshakeBuilder postProcessHandshakeResponseAsServer(
      ClientHandshake request, ServerHandshakeBuilder response) throws InvalidHandshakeException {
    response.put("Upgrade", "websocket");
    response.put("Connection", request.getFieldValue("Connection"));
    String key = request.getFieldValue("Sec-WebSocket-Key");
    if (key == null || key.isEmpty()) {
      throw new InvalidHandshakeException("missing Sec-WebSocket-Key");
    }
    response.put("Sec-WebSocket-Accept", acceptKey(key));
    String extensions = getExtension().getProvidedExtensionAsServer();
    if (!extensions.isEmpty()) {
      response.put("Sec-WebSocket-Extensions", extensions);
    }
    if (getProtocol() != null && !getProtocol().getProvidedProtocol().isEmpty()) {
      response.put("Sec-WebSocket-Protocol", getProtocol().getProvidedProtocol());
    }
    response.setHttpStatusMessage("Web Socket Protocol Handshake");
    response.put("Server", "TooTallNate Java-WebSocket");
    response.put("Date", httpDate(System.currentTimeMillis()));
    return response;
  }

  /** RFC 6455 §4.2.2: base64 of the SHA-1 of the client's key and the protocol's GUID. */
  static String acceptKey(String clientKey) {
    MessageDigest digest = SHA1.get();
    byte[] hash =
        digest.digest((clientKey.trim() + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encodeToString(hash);
  }

  static String httpDate(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    FormattedDate cached = date;
    if (cached.second() != second) {
      cached = new FormattedDate(second, HTTP_DATE.format(Instant.ofEpochSecond(second)));
      date = cached;
    }
    return cached.text();
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-1", e);
    }
  }
}
