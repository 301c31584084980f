package io.cmws.redis;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where the shared Redis is: {@code redis://[user:password@]host:port[/db]}, or {@code rediss://}
 * for TLS. {@code prefix} starts every key and pub/sub channel, so several independent groups of
 * hubs (or test runs) can share one Redis.
 */
public record RedisSettings(URI url, String prefix) {
  public static final String DEFAULT_PREFIX = "cmws";
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public RedisSettings {
    if (url == null
        || url.getScheme() == null
        || !(url.getScheme().equals("redis") || url.getScheme().equals("rediss"))) {
      throw new IllegalArgumentException(
          "Redis URL must look like redis://host:port[/db] or rediss://..., got " + url);
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("Redis URL has no host: " + url);
    }
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "Redis key prefix must be 1-64 of A-Z a-z 0-9 _ . -, got " + prefix);
    }
  }

  public static RedisSettings of(String url) {
    return new RedisSettings(URI.create(url), DEFAULT_PREFIX);
  }

  public RedisSettings withPrefix(String newPrefix) {
    return new RedisSettings(url, newPrefix);
  }

  /** The URL without credentials, for logs and error messages. */
  public String describe() {
    int port = url.getPort() < 0 ? 6379 : url.getPort();
    String path = url.getPath() == null ? "" : url.getPath();
    return url.getScheme() + "://" + url.getHost() + ":" + port + path;
  }
}
