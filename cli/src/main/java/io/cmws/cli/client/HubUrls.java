package io.cmws.cli.client;

import io.cmws.cli.support.CliException;
import io.cmws.cli.support.ExitCode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The hubs a client may use, in order of preference: {@code --url a,b,c}. A client works with one
 * at a time; when it cannot connect or loses the connection it moves on to the next, round and
 * round. Not thread-safe: one per command.
 */
public final class HubUrls {
  private final List<URI> urls;
  private int current;

  /** Opens a connection with one hub, blocking the command thread; throws {@link CliException}. */
  @FunctionalInterface
  public interface Opener {
    HubConnection open(URI url, String token, Duration timeout);
  }

  public HubUrls(List<URI> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no hub URL given");
    }
    this.urls = List.copyOf(urls);
  }

  /** Parses {@code ws://a/ws,ws://b/ws}; each must be ws:// or wss://. */
  public static HubUrls parse(String list) {
    List<URI> urls = new ArrayList<>();
    for (String part : list.split(",")) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      URI url;
      try {
        url = URI.create(trimmed);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("not a URL: " + trimmed);
      }
      if (url.getScheme() == null
          || !(url.getScheme().equals("ws") || url.getScheme().equals("wss"))
          || url.getHost() == null) {
        throw CliException.usage(
            "a hub URL looks like ws://host:port/ws or wss://..., got " + trimmed);
      }
      urls.add(url);
    }
    if (urls.isEmpty()) {
      throw CliException.usage("no hub URL given");
    }
    return new HubUrls(urls);
  }

  /** The hub in use (or to try next). */
  public URI current() {
    return urls.get(current);
  }

  public List<URI> all() {
    return urls;
  }

  /** Moves on to the next hub, e.g. after losing the current one; returns it. */
  public URI advance() {
    current = (current + 1) % urls.size();
    return current();
  }

  /**
   * Opens a connection with the current hub, else each following one in turn; the one that answered
   * becomes current. Refusals (bad token, not allowed) are final: another hub would say the same.
   */
  public HubConnection open(String token, Duration timeout, Opener opener) {
    CliException last = null;
    for (int i = 0; i < urls.size(); i++) {
      try {
        return opener.open(current(), token, timeout);
      } catch (CliException e) {
        if (e.exitCode() == ExitCode.REJECTED || e.exitCode() == ExitCode.USAGE) {
          throw e;
        }
        last = e;
        if (urls.size() > 1) {
          advance();
        }
      }
    }
    if (urls.size() == 1) {
      throw last;
    }
    throw new CliException(
        last.exitCode(),
        last.code(),
        "no hub answered (" + urls + "); last: " + last.getMessage(),
        last);
  }

  @Override
  public String toString() {
    return urls.size() == 1 ? current().toString() : current() + " (of " + urls.size() + " hubs)";
  }
}
