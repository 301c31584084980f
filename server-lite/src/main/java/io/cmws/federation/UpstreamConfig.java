package io.cmws.federation;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A parent hub to join: its URLs (tried in turn; a path ending in {@code /hub} speaks claude-mem's
 * {@code /ws/hub} protocol, any other cmws's {@code /ws} as client type {@code hub}), the token,
 * and which events go up ({@code publish}) and come down ({@code subscribe}).
 */
public record UpstreamConfig(
    List<URI> urls, String token, List<String> publish, List<String> subscribe) {

  public UpstreamConfig {
    Objects.requireNonNull(urls, "urls");
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("an upstream needs at least one URL");
    }
    urls = List.copyOf(urls);
    publish = publish == null ? List.of() : List.copyOf(publish);
    subscribe = subscribe == null ? List.of() : List.copyOf(subscribe);
  }

  /** Whether {@code url} is claude-mem's federation endpoint rather than a cmws hub's /ws. */
  static boolean isClaudeMemEndpoint(URI url) {
    String path = url.getPath() == null ? "" : url.getPath();
    return path.endsWith("/hub") || path.endsWith("/hub/");
  }
}
