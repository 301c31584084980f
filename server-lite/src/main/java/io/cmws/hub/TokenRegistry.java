package io.cmws.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The hub's configured tokens. Immutable and thread-safe. */
public final class TokenRegistry {
  private final List<TokenSpec> tokens;

  public TokenRegistry(List<TokenSpec> tokens) {
    Set<String> names = new HashSet<>();
    for (TokenSpec token : tokens) {
      if (!names.add(token.name())) {
        throw new IllegalArgumentException("token name '" + token.name() + "' is configured twice");
      }
    }
    this.tokens = List.copyOf(tokens);
  }

  public static TokenRegistry none() {
    return new TokenRegistry(List.of());
  }

  /** One {@code channels=P1,P2}, {@code priority=N} or {@code weight=N} after the token. */
  private static TokenSpec withAttribute(TokenSpec spec, String attribute) {
    if (attribute.startsWith("channels=")) {
      return spec.withChannels(
          Arrays.stream(attribute.substring("channels=".length()).split(","))
              .map(String::trim)
              .filter(p -> !p.isEmpty())
              .toList());
    }
    try {
      if (attribute.startsWith("priority=")) {
        return spec.withPool(Integer.parseInt(attribute.substring(9)), spec.weight());
      }
      if (attribute.startsWith("weight=")) {
        return spec.withPool(spec.priority(), Integer.parseInt(attribute.substring(7)));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + attribute + "' needs a whole number");
    }
    throw new IllegalArgumentException(
        "after the token only channels=P1,P2, priority=N and weight=N may follow, got '"
            + attribute
            + "'");
  }

  /**
   * Reads one {@code NAME=SECRET[:perms] [channels=P1,P2] [priority=N] [weight=N]} per line; blank
   * lines and {@code #} comments skipped.
   */
  public static List<TokenSpec> readFile(Path file) throws IOException {
    List<TokenSpec> specs = new ArrayList<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNumber++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      try {
        String[] fields = trimmed.split("\\s+");
        TokenSpec spec = TokenSpec.parse(fields[0]);
        for (int i = 1; i < fields.length; i++) {
          spec = withAttribute(spec, fields[i]);
        }
        specs.add(spec);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ":" + lineNumber + ": " + e.getMessage(), e);
      }
    }
    return specs;
  }

  /** The token named {@code name}. */
  public Optional<TokenSpec> byName(String name) {
    return tokens.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public boolean isEmpty() {
    return tokens.isEmpty();
  }

  /** The token whose secret equals {@code secret}; every token is compared, in constant time. */
  public Optional<TokenSpec> match(String secret) {
    byte[] digest = TokenSpec.sha256(secret);
    TokenSpec found = null;
    for (TokenSpec token : tokens) {
      if (token.matchesDigest(digest) && found == null) {
        found = token;
      }
    }
    return Optional.ofNullable(found);
  }
}
