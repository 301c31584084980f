package io.cmws.hub;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Who is on the other end. {@code loopback} is false when the address is unknown or the request
 * came through a proxy ({@code X-Forwarded-For} or {@code Forwarded}), since then the real client
 * may be anywhere (the reference trusts both, its B5b).
 */
public record RemotePeer(String address, boolean loopback, String origin) {

  public static RemotePeer of(InetSocketAddress remote, boolean proxied, String origin) {
    InetAddress address = remote == null ? null : remote.getAddress();
    boolean loopback = address != null && address.isLoopbackAddress() && !proxied;
    String text = address == null ? "unknown" : address.getHostAddress() + ":" + remote.getPort();
    return new RemotePeer(text, loopback, origin);
  }

  /**
   * Whether a web page opened this connection: browsers always send {@code Origin}, tools do not.
   */
  public boolean browserPage() {
    return origin != null;
  }

  /** The address without the port: what per-address limits count by. */
  public String host() {
    int colon = address.lastIndexOf(':');
    return colon < 0 ? address : address.substring(0, colon);
  }
}
