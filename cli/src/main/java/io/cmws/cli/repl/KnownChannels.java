package io.cmws.cli.repl;

import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Completion candidates for CHANNEL and PATTERN parameters: the channels and patterns the running
 * REPL has seen. picocli instantiates this class itself, hence the one static source.
 */
public final class KnownChannels implements Iterable<String> {
  private static volatile ReplState source;

  static void use(ReplState state) {
    source = state;
  }

  @Override
  public Iterator<String> iterator() {
    ReplState state = source;
    if (state == null) {
      return Set.<String>of().iterator();
    }
    Set<String> all = new TreeSet<>(state.knownChannels());
    all.addAll(state.subscriptions());
    return all.iterator();
  }
}
