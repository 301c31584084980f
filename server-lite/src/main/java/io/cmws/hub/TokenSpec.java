package io.cmws.hub;

import io.cmws.protocol.ChannelNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A hub token: {@code NAME=SECRET[:perm,perm...]}. Without a permission list the token grants every
 * permission. Only a SHA-256 digest of the secret is kept, and {@link #toString()} shows the name
 * alone, so secrets never reach logs.
 */
public final class TokenSpec {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

  private final String name;
  private final byte[] digest;
  private final Set<Permission> permissions;
  private final List<String> channels;
  private final Integer priority;
  private final Integer weight;

  private TokenSpec(
      String name,
      byte[] digest,
      Set<Permission> permissions,
      List<String> channels,
      Integer priority,
      Integer weight) {
    this.name = name;
    this.digest = digest;
    this.permissions = Collections.unmodifiableSet(permissions);
    this.channels = List.copyOf(channels);
    this.priority = priority;
    this.weight = weight;
  }

  /** A federated hub presenting this token gets this pool priority and weight (null: default). */
  public TokenSpec withPool(Integer newPriority, Integer newWeight) {
    return new TokenSpec(name, digest, permissions, channels, newPriority, newWeight);
  }

  public Integer priority() {
    return priority;
  }

  public Integer weight() {
    return weight;
  }

  /**
   * The same token, limited to {@code patterns}: it may subscribe only to patterns inside them and
   * publish only on channels they match. Empty: no limit.
   */
  public TokenSpec withChannels(List<String> patterns) {
    for (String pattern : patterns) {
      ChannelNames.patternProblem(pattern)
          .ifPresent(
              problem -> {
                throw new IllegalArgumentException("token '" + name + "' channels: " + problem);
              });
    }
    return new TokenSpec(name, digest, permissions, patterns, priority, weight);
  }

  /** The patterns this token is limited to; empty if it may use every channel. */
  public List<String> channels() {
    return channels;
  }

  /** Parses {@code NAME=SECRET[:perm,perm...]}; the message of a failure never shows the secret. */
  public static TokenSpec parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "token must look like NAME=SECRET[:perm,perm...], got '" + redact(spec) + "'");
    }
    String name = spec.substring(0, eq).trim();
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "token name '" + name + "' may use letters, digits and _.@- (1-64 characters)");
    }
    String rest = spec.substring(eq + 1);
    int colon = rest.indexOf(':');
    String secret = colon < 0 ? rest : rest.substring(0, colon);
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("token '" + name + "' has an empty secret");
    }
    Set<Permission> permissions =
        colon < 0
            ? EnumSet.allOf(Permission.class)
            : parsePermissions(name, rest.substring(colon + 1));
    return new TokenSpec(name, sha256(secret), permissions, List.of(), null, null);
  }

  public String name() {
    return name;
  }

  public Set<Permission> permissions() {
    return permissions;
  }

  /** Compares in time independent of where the secrets differ. */
  boolean matchesDigest(byte[] presentedDigest) {
    return MessageDigest.isEqual(digest, presentedDigest);
  }

  static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static Set<Permission> parsePermissions(String name, String list) {
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    for (String word : list.split(",")) {
      if (word.isBlank()) {
        continue;
      }
      permissions.add(
          Permission.fromWireName(word)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "token '"
                              + name
                              + "': unknown permission '"
                              + word.trim()
                              + "'; known: "
                              + String.join(
                                  ", ",
                                  Arrays.stream(Permission.values())
                                      .map(Permission::wireName)
                                      .toList()))));
    }
    return permissions;
  }

  private static String redact(String spec) {
    int eq = spec.indexOf('=');
    return eq < 0
        ? (spec.length() > 3 ? spec.substring(0, 3) + "..." : "...")
        : spec.substring(0, eq) + "=***";
  }

  @Override
  public String toString() {
    return "Token["
        + name
        + " "
        + Permission.wireNames(permissions)
        + (channels.isEmpty() ? "" : " " + channels)
        + "]";
  }
}
