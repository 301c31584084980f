package io.cmws.hub;

import java.util.Collections;
import java.util.EnumSet;
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

  private final TokenRegistry tokens;
  private final boolean allowAnonymous;
  private final java.util.List<String> allowedOrigins;

  public AccessPolicy(TokenRegistry tokens, boolean allowAnonymous) {
    this(tokens, allowAnonymous, java.util.List.of());
  }

  /** {@code allowedOrigins}: browser origins let in, e.g. {@code https://app.example.com}; empty lets any in. */
  public AccessPolicy(TokenRegistry tokens, boolean allowAnonymous, java.util.List<String> allowedOrigins) {
    this.tokens = tokens;
    this.allowAnonymous = allowAnonymous;
    this.allowedOrigins = allowedOrigins.stream().map(AccessPolicy::normalizeOrigin).toList();
  }

  /**
   * Whether a WebSocket handshake with this {@code Origin} header may proceed. Only browsers send
   * one; tools and workers without it are judged by their token alone.
   */
  public boolean allowsOrigin(String origin) {
    return origin == null || allowedOrigins.isEmpty() || allowedOrigins.contains(normalizeOrigin(origin));
  }

  private static String normalizeOrigin(String origin) {
    String trimmed = origin.trim().toLowerCase(java.util.Locale.ROOT);
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  /** The advisory {@code requiresAuth} of {@code connection:pending} (reference §2.1). */
  public boolean requiresAuth(boolean loopback) {
    return !loopback || !tokens.isEmpty();
  }

  /** The channel patterns a token is limited to; empty for no limit (and for tokenless clients). */
  public java.util.List<String> channelScope(String tokenName) {
    return tokenName == null ? java.util.List.of() : tokens.byName(tokenName).map(TokenSpec::channels).orElse(java.util.List.of());
  }

  public boolean hasTokens() {
    return !tokens.isEmpty();
  }

  /** Decision for an {@code auth} frame from a client of {@code type}. */
  public Decision authenticate(ClientType type, String token, boolean loopback) {
    boolean hasToken = token != null && !token.isEmpty();
    if (tokens.isEmpty()) {
      if (loopback) {
        return granted(withLoopbackExtras(type.defaultPermissions()), null);
      }
      if (allowAnonymous) {
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

  /**
   * Decision for a worker that sends {@code register} without {@code auth}. Reference §3.3: with
   * tokens configured a loopback worker is told to authenticate and stays connected; a remote one
   * is closed.
   */
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
