package io.cmws.hub;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Decides who gets in and with which permissions.
 *
 * <ul>
 *   <li>No tokens configured: a loopback client gets its type's defaults plus {@link
 *       #LOOPBACK_EXTRAS}, so tools work out of the box on one machine; a remote client is refused
 *       unless anonymous access is allowed, and then gets its type's defaults.
 *   <li>Tokens configured: a valid token grants the token's permissions; an unknown one is refused.
 *       Without a token, loopback browsers and SSE-writers (and, with anonymous access, remote
 *       ones) get their defaults, as claude-mem's UI and SSE-writer cannot send tokens; workers
 *       always need a token, as in the reference.
 *   <li>A browser page (a handshake that carried an {@code Origin}) is never trusted for being on
 *       loopback: any web site can open a socket to 127.0.0.1. Without a token it gets claude-mem's
 *       browser permissions ({@code subscribe}) and cannot act as a worker, hub or SSE-writer.
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class AccessPolicy {
  /** What a loopback client gets on top of its type's defaults when no tokens are configured. */
  public static final Set<Permission> LOOPBACK_EXTRAS =
      Collections.unmodifiableSet(
          EnumSet.of(Permission.BROADCAST, Permission.TASK_SUBMIT, Permission.ADMIN));

  static final String INVALID_TOKEN = "Invalid token";
  static final String NO_TOKENS_FOR_REMOTE =
      "Server has no auth token configured for external connections";
  static final String TOKEN_REQUIRED = "Authentication required: this hub needs a token";
  static final String PAGE_NEEDS_TOKEN = "A browser page needs a token to connect as ";

  private final TokenRegistry tokens;
  private final boolean allowAnonymous;

  public AccessPolicy(TokenRegistry tokens, boolean allowAnonymous) {
    this.tokens = tokens;
    this.allowAnonymous = allowAnonymous;
  }

  /** The advisory {@code requiresAuth} of {@code connection:pending} (reference §2.1). */
  public boolean requiresAuth(boolean loopback) {
    return !loopback || !tokens.isEmpty();
  }

  /** The channel patterns a token is limited to; empty for no limit (and for tokenless clients). */
  public List<String> channelScope(String tokenName) {
    return tokenName == null
        ? List.of()
        : tokens.byName(tokenName).map(TokenSpec::channels).orElse(List.of());
  }

  /** The pool priority a federated hub's token gives it; null if none (or no token). */
  public Integer tokenPriority(String tokenName) {
    return tokenName == null
        ? null
        : tokens.byName(tokenName).map(TokenSpec::priority).orElse(null);
  }

  /** The pool weight a federated hub's token gives it; null if none (or no token). */
  public Integer tokenWeight(String tokenName) {
    return tokenName == null ? null : tokens.byName(tokenName).map(TokenSpec::weight).orElse(null);
  }

  public boolean hasTokens() {
    return !tokens.isEmpty();
  }

  /** Decision for an {@code auth} frame from a tool (a client that sent no {@code Origin}). */
  public Decision authenticate(ClientType type, String token, boolean loopback) {
    return authenticate(type, token, loopback, false);
  }

  /**
   * Decision for an {@code auth} frame; {@code browserPage}: the handshake carried an {@code
   * Origin}.
   */
  public Decision authenticate(
      ClientType type, String token, boolean loopback, boolean browserPage) {
    boolean hasToken = token != null && !token.isEmpty();
    if (browserPage && !hasToken) {
      return pageWithoutToken(type, loopback);
    }
    if (tokens.isEmpty()) {
      if (loopback) {
        return granted(withLoopbackExtras(type.defaultPermissions()), null);
      }
      if (allowAnonymous && type != ClientType.HUB) {
        // a hub on another machine takes tasks and forwards events: never anonymous
        return granted(type.defaultPermissions(), null);
      }
      return new Decision.Denied(hasToken ? NO_TOKENS_FOR_REMOTE : TOKEN_REQUIRED);
    }
    if (hasToken) {
      return tokens
          .match(token)
          .<Decision>map(spec -> granted(spec.permissions(), spec.name()))
          .orElseGet(() -> new Decision.Denied(INVALID_TOKEN));
    }
    if (type == ClientType.WORKER || type == ClientType.HUB) {
      return new Decision.Denied(INVALID_TOKEN);
    }
    if (loopback || allowAnonymous) {
      return granted(type.defaultPermissions(), null);
    }
    return new Decision.Denied(TOKEN_REQUIRED);
  }

  /** A page without a token: the browser defaults, where a tokenless browser may connect at all. */
  private Decision pageWithoutToken(ClientType type, boolean loopback) {
    if (type != ClientType.BROWSER) {
      return new Decision.Denied(PAGE_NEEDS_TOKEN + type.label());
    }
    if (loopback || allowAnonymous) {
      return granted(ClientType.BROWSER.defaultPermissions(), null);
    }
    return new Decision.Denied(TOKEN_REQUIRED);
  }

  /**
   * Decision for a worker that sends {@code register} without {@code auth}. Reference §3.3: with
   * tokens configured a loopback worker is told to authenticate and stays connected; a remote one
   * is closed. A browser page may never register without a token.
   */
  public Decision registerWithoutAuth(boolean loopback, boolean browserPage) {
    if (browserPage) {
      return new Decision.Denied(PAGE_NEEDS_TOKEN + ClientType.WORKER.label(), !loopback);
    }
    return registerWithoutAuth(loopback);
  }

  /** {@link #registerWithoutAuth(boolean, boolean)} for a tool (no {@code Origin}). */
  public Decision registerWithoutAuth(boolean loopback) {
    if (tokens.isEmpty() && loopback) {
      return granted(withLoopbackExtras(ClientType.WORKER.defaultPermissions()), null);
    }
    if (tokens.isEmpty() && allowAnonymous) {
      return granted(ClientType.WORKER.defaultPermissions(), null);
    }
    return loopback
        ? new Decision.Denied("Must authenticate before registering", false)
        : new Decision.Denied("External workers must authenticate before registering");
  }

  private static Set<Permission> withLoopbackExtras(Set<Permission> defaults) {
    EnumSet<Permission> permissions = EnumSet.copyOf(LOOPBACK_EXTRAS);
    permissions.addAll(defaults);
    return permissions;
  }

  private static Decision granted(Set<Permission> permissions, String tokenName) {
    return new Decision.Granted(
        Collections.unmodifiableSet(
            permissions.isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(permissions)),
        tokenName);
  }

  /** The outcome of an authentication attempt. */
  public sealed interface Decision {
    record Granted(Set<Permission> permissions, String tokenName) implements Decision {}

    /** {@code close}: whether the connection is closed with 4001 after the refusal. */
    record Denied(String reason, boolean close) implements Decision {
      Denied(String reason) {
        this(reason, true);
      }
    }
  }
}
