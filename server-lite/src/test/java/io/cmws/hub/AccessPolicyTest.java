package io.cmws.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessPolicyTest {
  private static final AccessPolicy OPEN = new AccessPolicy(TokenRegistry.none(), false);
  private static final AccessPolicy ANONYMOUS = new AccessPolicy(TokenRegistry.none(), true);
  private static final AccessPolicy TOKENS =
      new AccessPolicy(
          new TokenRegistry(
              List.of(
                  TokenSpec.parse("ops=s3cret"),
                  TokenSpec.parse("reader=r3ad:subscribe"),
                  TokenSpec.parse("worker=w0rk:subscribe,task:receive,task:complete"))),
          false);

  private static Set<Permission> granted(AccessPolicy.Decision decision) {
    return assertInstanceOf(AccessPolicy.Decision.Granted.class, decision).permissions();
  }

  private static String denied(AccessPolicy.Decision decision) {
    return assertInstanceOf(AccessPolicy.Decision.Denied.class, decision).reason();
  }

  @Test
  void loopbackWithoutTokensGetsDefaultsPlusBroadcast() {
    Set<Permission> browser = granted(OPEN.authenticate(ClientType.BROWSER, null, true));
    assertTrue(browser.containsAll(EnumSet.of(Permission.SUBSCRIBE, Permission.BROADCAST)));
    Set<Permission> worker = granted(OPEN.authenticate(ClientType.WORKER, "whatever", true));
    assertTrue(worker.containsAll(ClientType.WORKER.defaultPermissions()));
    assertTrue(worker.contains(Permission.BROADCAST));
  }

  @Test
  void remoteNeedsATokenUnlessAnonymousIsAllowed() {
    assertEquals(
        AccessPolicy.TOKEN_REQUIRED, denied(OPEN.authenticate(ClientType.BROWSER, null, false)));
    assertEquals(
        AccessPolicy.NO_TOKENS_FOR_REMOTE,
        denied(OPEN.authenticate(ClientType.WORKER, "x", false)));
    assertEquals(
        EnumSet.of(Permission.SUBSCRIBE),
        granted(ANONYMOUS.authenticate(ClientType.BROWSER, null, false)));
    assertFalse(OPEN.requiresAuth(true));
    assertTrue(OPEN.requiresAuth(false));
    assertTrue(TOKENS.requiresAuth(true));
  }

  @Test
  void aRemoteHubAlwaysNeedsATokenEvenWithAnonymousAccess() {
    assertEquals(
        AccessPolicy.TOKEN_REQUIRED, denied(ANONYMOUS.authenticate(ClientType.HUB, null, false)));
    assertEquals(
        AccessPolicy.INVALID_TOKEN, denied(TOKENS.authenticate(ClientType.HUB, null, true)));
    assertFalse(
        granted(TOKENS.authenticate(ClientType.HUB, "r3ad", false)).contains(Permission.FEDERATE),
        "a token without federate may connect, but hub:register will be refused");
    assertTrue(
        granted(OPEN.authenticate(ClientType.HUB, null, true)).contains(Permission.FEDERATE));
  }

  @Test
  void aTokensFileGivesAHubItsPoolPriorityAndWeight(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# hubs\ngpu-box=s3cret:federate priority=80 weight=300\nui=u1\n");
    AccessPolicy policy = new AccessPolicy(new TokenRegistry(TokenRegistry.readFile(file)), false);
    assertEquals(80, policy.tokenPriority("gpu-box"));
    assertEquals(300, policy.tokenWeight("gpu-box"));
    assertNull(policy.tokenPriority("ui"), "no priority= leaves the --hub-priority or default");
    assertNull(policy.tokenPriority(null));
  }

  @Test
  void tokensGrantTheirPermissions() {
    assertEquals(
        Permission.all(), granted(TOKENS.authenticate(ClientType.BROWSER, "s3cret", false)));
    assertEquals(
        EnumSet.of(Permission.SUBSCRIBE),
        granted(TOKENS.authenticate(ClientType.HUB, "r3ad", true)));
    assertEquals(
        AccessPolicy.INVALID_TOKEN, denied(TOKENS.authenticate(ClientType.BROWSER, "nope", true)));
  }

  @Test
  void withTokensLoopbackBrowsersStillGetTheirDefaultsButWorkersNeedAToken() {
    assertEquals(
        EnumSet.of(Permission.SUBSCRIBE),
        granted(TOKENS.authenticate(ClientType.BROWSER, null, true)));
    assertEquals(
        EnumSet.of(Permission.SUBSCRIBE),
        granted(TOKENS.authenticate(ClientType.SSE_WRITER, "", true)));
    assertEquals(
        AccessPolicy.INVALID_TOKEN, denied(TOKENS.authenticate(ClientType.WORKER, null, true)));
    assertEquals(
        AccessPolicy.TOKEN_REQUIRED, denied(TOKENS.authenticate(ClientType.BROWSER, null, false)));
  }

  @Test
  void aBrowserPageWithoutATokenGetsBrowserPermissionsOnlyEvenOnLoopback() {
    for (AccessPolicy policy : List.of(OPEN, ANONYMOUS, TOKENS)) {
      assertEquals(
          EnumSet.of(Permission.SUBSCRIBE),
          granted(policy.authenticate(ClientType.BROWSER, null, true, true)));
      for (ClientType type : List.of(ClientType.WORKER, ClientType.HUB, ClientType.SSE_WRITER)) {
        assertTrue(
            denied(policy.authenticate(type, null, true, true))
                .startsWith(AccessPolicy.PAGE_NEEDS_TOKEN));
      }
      assertFalse(policy.registerWithoutAuth(true, true) instanceof AccessPolicy.Decision.Granted);
    }
    assertEquals(
        AccessPolicy.TOKEN_REQUIRED,
        denied(OPEN.authenticate(ClientType.BROWSER, null, false, true)));
    assertEquals(
        EnumSet.of(Permission.SUBSCRIBE),
        granted(ANONYMOUS.authenticate(ClientType.BROWSER, null, false, true)));
    assertEquals(
        Permission.all(),
        granted(TOKENS.authenticate(ClientType.BROWSER, "s3cret", true, true)),
        "a token grants what it grants, page or not");
    assertEquals(
        AccessPolicy.INVALID_TOKEN,
        denied(TOKENS.authenticate(ClientType.BROWSER, "nope", true, true)));
  }

  @Test
  void registerWithoutAuthFollowsTheReference() {
    assertTrue(granted(OPEN.registerWithoutAuth(true)).contains(Permission.TASK_RECEIVE));
    AccessPolicy.Decision.Denied local =
        assertInstanceOf(AccessPolicy.Decision.Denied.class, TOKENS.registerWithoutAuth(true));
    assertEquals("Must authenticate before registering", local.reason());
    assertFalse(local.close());
    AccessPolicy.Decision.Denied remote =
        assertInstanceOf(AccessPolicy.Decision.Denied.class, OPEN.registerWithoutAuth(false));
    assertEquals("External workers must authenticate before registering", remote.reason());
    assertTrue(remote.close());
  }

  @Test
  void parsesTokenSpecsAndNeverShowsTheSecret() {
    TokenSpec spec = TokenSpec.parse("ci=abc:subscribe,broadcast");
    assertEquals(EnumSet.of(Permission.SUBSCRIBE, Permission.BROADCAST), spec.permissions());
    assertFalse(spec.toString().contains("abc"));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> TokenSpec.parse("ci=abc:fly"));
    assertTrue(unknown.getMessage().contains("unknown permission 'fly'"), unknown.getMessage());
    IllegalArgumentException shape =
        assertThrows(IllegalArgumentException.class, () -> TokenSpec.parse("secretonly"));
    assertFalse(shape.getMessage().contains("secretonly"), shape.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TokenSpec.parse("a="));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TokenRegistry(List.of(TokenSpec.parse("a=1"), TokenSpec.parse("a=2"))));
  }

  @Test
  void onlyTheExactSecretMatchesNotAPrefixANearMissOrItsDigest() {
    TokenRegistry registry =
        new TokenRegistry(
            List.of(TokenSpec.parse("ops=s3cret"), TokenSpec.parse("ui=r3ad:subscribe")));
    assertEquals("ops", registry.match("s3cret").orElseThrow().name());
    assertEquals("ui", registry.match("r3ad").orElseThrow().name());
    for (String guess :
        List.of(
            "s3cre",
            "s3creT",
            "s3cret ",
            "",
            "r3ad\0",
            java.util.HexFormat.of().formatHex(TokenSpec.sha256("s3cret")))) {
      assertTrue(registry.match(guess).isEmpty(), guess);
    }
  }
}
