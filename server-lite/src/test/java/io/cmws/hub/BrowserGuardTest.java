package io.cmws.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BrowserGuardTest {
  private static final BrowserGuard DEFAULT = BrowserGuard.loopbackOnly();

  @Test
  void loopbackPagesAndToolsGetInOtherSitesDoNot() {
    for (String origin :
        List.of(
            "http://localhost",
            "http://localhost:5173",
            "https://127.0.0.1:8443",
            "http://127.255.0.1",
            "http://[::1]:3000",
            "HTTP://LocalHost:1/")) {
      assertTrue(DEFAULT.allowsOrigin(origin), origin);
    }
    assertTrue(DEFAULT.allowsOrigin(null), "no Origin: a tool, not a page");
    for (String origin :
        List.of(
            "https://evil.example",
            "null",
            "file://",
            "chrome-extension://abc",
            "http://127.0.0.1.nip.io",
            "http://localhost.evil.example",
            "http://127.0.0.256",
            "http://1.2.3.4",
            "ws://localhost:1",
            "http://[::2]",
            "",
            "not a url")) {
      assertFalse(DEFAULT.allowsOrigin(origin), origin);
    }
  }

  @Test
  void listedOriginsAndTheStarOpenItUp() {
    BrowserGuard listed = new BrowserGuard(List.of("https://app.example.com/"), List.of(), true);
    assertTrue(listed.allowsOrigin("https://APP.example.com"));
    assertFalse(listed.allowsOrigin("https://app.example.com:8443"));
    assertTrue(listed.allowsOrigin("http://localhost:1"), "loopback pages stay allowed");
    assertTrue(
        new BrowserGuard(List.of("*"), List.of(), true).allowsOrigin("https://anything.example"));
  }

  @Test
  void onLoopbackOnlyLoopbackHostNamesAndListedOnesAreServed() {
    for (String host :
        List.of(
            "localhost",
            "localhost:37777",
            "127.0.0.1:37779",
            "127.1.2.3",
            "[::1]:37777",
            "[::1]",
            "LOCALHOST:1",
            "localhost.:80")) {
      assertTrue(DEFAULT.allowsHost(host), host);
    }
    assertTrue(DEFAULT.allowsHost(null), "HTTP/1.0 tools send none; browsers always do");
    for (String host :
        List.of(
            "evil.example",
            "evil.example:37779",
            "127.0.0.1.evil.example",
            "10.0.0.1:37777",
            "[::2]:1",
            "")) {
      assertFalse(DEFAULT.allowsHost(host), host);
    }
    BrowserGuard listed = new BrowserGuard(List.of(), List.of("cmws.lan", "box:8080"), true);
    assertTrue(listed.allowsHost("cmws.lan:37777"));
    assertTrue(listed.allowsHost("box:8080"));
    assertFalse(listed.allowsHost("box:9090"));
  }

  @Test
  void onANetworkAddressOnlyListedHostsAreChecked() {
    assertTrue(new BrowserGuard(List.of(), List.of(), false).allowsHost("anything.example"));
    BrowserGuard listed = new BrowserGuard(List.of(), List.of("hub.example.com"), false);
    assertTrue(listed.allowsHost("hub.example.com:443"));
    assertFalse(listed.allowsHost("evil.example"));
    assertTrue(listed.allowsHost("localhost:37779"), "a tool on the hub's machine");
  }
}
