package io.cmws.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), sent whole only when Redis does not know it
 * (first use, or after a Redis restart flushed the script cache).
 */
final class LuaScript {
  private final String source;
  private final String sha;

  LuaScript(String source) {
    this.source = source;
    try {
      this.sha =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-1")
                      .digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  /**
   * A script made of resource files next to this class, in order (shared functions first); the
   * scripts live in {@code .lua} files so they can be read, linted and diffed as Lua.
   */
  static LuaScript fromResources(String... names) {
    StringBuilder source = new StringBuilder();
    for (String name : names) {
      try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("the Lua script " + name + " is missing from the jar");
        }
        source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the Lua script " + name, e);
      }
    }
    return new LuaScript(source.toString());
  }

  String sha() {
    return sha;
  }

  Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
    try {
      return redis.evalsha(sha, keys, args);
    } catch (JedisNoScriptException e) {
      return redis.eval(source, keys, args);
    }
  }

  /** Makes sure Redis knows the script, e.g. before pipelining {@code EVALSHA}. */
  void load(UnifiedJedis redis) {
    redis.scriptLoad(source);
  }
}
