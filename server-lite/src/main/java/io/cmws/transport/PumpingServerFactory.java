package io.cmws.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.java_websocket.SSLSocketChannel2;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

/**
 * Java-WebSocket's default server factory, with every socket wrapped in a {@link PumpingChannel};
 * with an {@link SSLContext}, the library's TLS channel goes in between ({@code wss://}).
 */
final class PumpingServerFactory implements WebSocketServerFactory {
  private final SSLContext tls;
  private final ExecutorService tlsHandshakes;
  private final SocketLingerer lingerer;
  private final HandshakeTracker handshakes;

  PumpingServerFactory(SSLContext tls, HandshakeTracker handshakes) {
    this.tls = tls;
    this.handshakes = handshakes;
    this.lingerer = tls == null ? SocketLingerer.open() : null;
    this.tlsHandshakes =
        tls == null
            ? null
            : Executors.newSingleThreadExecutor(
                runnable -> {
                  Thread thread = new Thread(runnable, "cmws-tls-handshake");
                  thread.setDaemon(true);
                  return thread;
                });
  }

  @Override
  public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
    return new PassingWebSocket(adapter, draft);
  }

  @Override
  public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
    return new PassingWebSocket(adapter, drafts);
  }

  /**
   * Runs on the selector thread for each accepted socket; an IOException makes the library close
   * it.
   */
  @Override
  public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
    InetAddress remote =
        channel.getRemoteAddress() instanceof InetSocketAddress address
            ? address.getAddress()
            : null;
    HandshakeTracker.Handshake handshake =
        handshakes.started((WebSocketImpl) key.attachment(), remote);
    if (handshake == null) {
      throw new IOException("too many unfinished handshakes from " + remote);
    }
    if (tls == null) {
      return new PumpingChannel(channel, key, lingerer, handshake);
    }
    SSLEngine engine = tls.createSSLEngine();
    // as the library's own TLS factory does: this suite breaks its TLS channel (Java-WebSocket
    // #466)
    engine.setEnabledCipherSuites(
        Arrays.stream(engine.getEnabledCipherSuites())
            .filter(suite -> !suite.equals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
            .toArray(String[]::new));
    engine.setUseClientMode(false);
    return new PumpingChannel(
        new SSLSocketChannel2(channel, engine, tlsHandshakes, key), key, null, handshake);
  }

  @Override
  public void close() {
    if (tlsHandshakes != null) {
      tlsHandshakes.shutdown();
    }
    if (lingerer != null) {
      lingerer.close();
    }
  }
}
