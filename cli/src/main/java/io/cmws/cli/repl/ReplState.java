package io.cmws.cli.repl;

import io.cmws.cli.client.HubConnection;
import io.cmws.cli.support.CliException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The REPL's one connection and what it knows. {@link #lock} is held by whoever reads the
 * connection: a running command, or else the background pump that prints arriving frames.
 */
final class ReplState {
  // fair: the pump polls in a loop and would otherwise take the lock again before a waiting
  // command ever got it (seen as commands stuck for seconds on a busy machine)
  final ReentrantLock lock = new ReentrantLock(true);
  private final Set<String> subscriptions = new LinkedHashSet<>();
  private final Set<String> knownChannels = new ConcurrentSkipListSet<>();
  private volatile HubConnection connection;
  private volatile URI url;
  private volatile String token;
  private final Duration timeout;

  ReplState(URI url, String token, Duration timeout) {
    this.url = url;
    this.token = token;
    this.timeout = timeout;
  }

  URI url() {
    return url;
  }

  Duration timeout() {
    return timeout;
  }

  HubConnection connection() {
    return connection;
  }

  boolean connected() {
    HubConnection current = connection;
    return current != null && current.isOpen();
  }

  /** The connection, or a connection error telling the user to connect. */
  HubConnection require() {
    HubConnection current = connection;
    if (current == null || !current.isOpen()) {
      throw CliException.connection("not connected: use 'connect [URL]'");
    }
    return current;
  }

  /** Opens a new connection (closing the old one); the caller holds the lock. */
  HubConnection connect(URI newUrl, String newToken) {
    disconnect();
    if (newUrl != null) {
      url = newUrl;
    }
    if (newToken != null) {
      token = newToken;
    }
    connection = HubConnection.open(url, token, timeout);
    return connection;
  }

  void disconnect() {
    HubConnection old = connection;
    connection = null;
    if (old != null) {
      old.close();
    }
  }

  synchronized List<String> subscriptions() {
    return new ArrayList<>(subscriptions);
  }

  synchronized void subscribed(List<String> patterns) {
    subscriptions.addAll(patterns);
  }

  synchronized void unsubscribed(List<String> patterns) {
    subscriptions.removeAll(patterns);
  }

  /** Channel names and patterns the hub told us about, for completion. */
  Set<String> knownChannels() {
    return knownChannels;
  }

  void learnChannel(String channel) {
    if (channel != null && !channel.isEmpty() && knownChannels.size() < 10_000) {
      knownChannels.add(channel);
    }
  }
}
