import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/** Plain Java-WebSocket 1.6.0 doing the least a hub can: the library's own floor under the perf tool. */
public class FloorHub extends WebSocketServer {
  final Set<WebSocket> subs = ConcurrentHashMap.newKeySet();
  long seq;
  FloorHub(int port) { super(new InetSocketAddress("127.0.0.1", port)); }
  public void onOpen(WebSocket c, ClientHandshake h) { c.send("{\"type\":\"connection:pending\",\"clientId\":\"p\"}"); }
  public void onClose(WebSocket c, int code, String r, boolean remote) { subs.remove(c); }
  public void onError(WebSocket c, Exception e) {}
  public void onStart() {}
  public void onMessage(WebSocket c, String m) {
    if (m.startsWith("{\"type\":\"auth\"")) c.send("{\"type\":\"auth:success\",\"clientId\":\"c\"}");
    else if (m.startsWith("{\"type\":\"subscribe\"")) { subs.add(c); c.send("{\"type\":\"subscribed\",\"channels\":[\"bench:*\"]}"); }
    else if (m.startsWith("{\"type\":\"publish\"")) {
      int d = m.indexOf("\"data\":");
      String frame = "{\"type\":\"event\",\"channel\":\"bench:x\",\"data\":" + m.substring(d + 7, m.length() - 1) + ",\"seq\":" + (++seq) + "}";
      broadcast(frame, subs);
      c.send("{\"type\":\"published\",\"seq\":" + seq + "}");
    }
  }
  public static void main(String[] a) { new FloorHub(Integer.parseInt(a[0])).start(); }
}
