package io.cmws.transport;

import java.nio.ByteBuffer;
import java.util.List;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketListener;
import org.java_websocket.drafts.Draft;

/** A connection whose every read is handled in one {@link WritePass}. */
final class PassingWebSocket extends WebSocketImpl {
  PassingWebSocket(WebSocketListener listener, Draft draft) {
    super(listener, draft);
  }

  PassingWebSocket(WebSocketListener listener, List<Draft> drafts) {
    super(listener, drafts);
  }

  /** On the library's worker thread, for each buffer read from the socket. */
  @Override
  public void decode(ByteBuffer socketBuffer) {
    WritePass.begin();
    try {
      super.decode(socketBuffer);
    } finally {
      WritePass.end();
    }
  }
}
