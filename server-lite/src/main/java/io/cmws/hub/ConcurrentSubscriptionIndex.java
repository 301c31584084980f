package io.cmws.hub;

import io.cmws.protocol.ChannelNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wildcard subscriptions in a segment trie, so matching a channel costs in proportion to the
 * channel's depth (and the wildcard branches that exist), not to the number of subscriptions.
 *
 * <p>Each node stands for a pattern prefix. A literal segment leads to a child, a {@code *} that is
 * not last leads to the single-segment wildcard child, and a trailing {@code *} (or {@code *}
 * alone) puts the subscriber in the node's {@code tail} set, which matches one or more further
 * segments.
 *
 * <p>Thread-safe: {@link #add}/{@link #remove} serialize on the index; {@link #match} takes no lock
 * and sees copy-on-write subscriber arrays.
 *
 * @param <S> the subscriber type, compared by identity
 */
public final class ConcurrentSubscriptionIndex<S> {
  private static final Object[] NONE = new Object[0];

  private final Node root = new Node(null, null, "");
  private int pairs;
  private int patterns;

  /** Adds {@code subscriber} under {@code pattern}; false if it already held that pattern. */
  public synchronized boolean add(String pattern, S subscriber) {
    String[] segments = pattern.split(":", -1);
    boolean tail = segments[segments.length - 1].equals(ChannelNames.WILDCARD);
    Node node = root;
    for (int i = 0; i < segments.length - (tail ? 1 : 0); i++) {
      node = node.childForAdd(segments[i]);
    }
    Object[] current = tail ? node.tail : node.exact;
    if (indexOf(current, subscriber) >= 0) {
      return false;
    }
    Object[] grown = Arrays.copyOf(current, current.length + 1);
    grown[current.length] = subscriber;
    if (tail) {
      node.tail = grown;
    } else {
      node.exact = grown;
    }
    if (current.length == 0) {
      patterns++;
    }
    pairs++;
    return true;
  }

  /** Removes {@code subscriber} from {@code pattern}; false if it did not hold it. */
  public synchronized boolean remove(String pattern, S subscriber) {
    String[] segments = pattern.split(":", -1);
    boolean tail = segments[segments.length - 1].equals(ChannelNames.WILDCARD);
    Node node = root;
    for (int i = 0; i < segments.length - (tail ? 1 : 0) && node != null; i++) {
      node = node.child(segments[i]);
    }
    if (node == null) {
      return false;
    }
    Object[] current = tail ? node.tail : node.exact;
    int at = indexOf(current, subscriber);
    if (at < 0) {
      return false;
    }
    Object[] shrunk = current.length == 1 ? NONE : new Object[current.length - 1];
    System.arraycopy(current, 0, shrunk, 0, at);
    System.arraycopy(current, at + 1, shrunk, at, current.length - at - 1);
    if (tail) {
      node.tail = shrunk;
    } else {
      node.exact = shrunk;
    }
    if (shrunk.length == 0) {
      patterns--;
    }
    pairs--;
    prune(node);
    return true;
  }

  /** Number of (pattern, subscriber) pairs. */
  public synchronized int size() {
    return pairs;
  }

  /** Number of distinct patterns with at least one subscriber. */
  public synchronized int patternCount() {
    return patterns;
  }

  /**
   * The subscriber groups whose pattern matches {@code channel}, one group per pattern. A
   * subscriber holding several matching patterns appears in several groups.
   */
  public List<Group<S>> match(String channel) {
    List<Group<S>> out = new ArrayList<>(2);
    walk(root, channel, 0, out);
    return out;
  }

  private void walk(Node node, String channel, int start, List<Group<S>> out) {
    if (start > channel.length()) {
      Object[] exact = node.exact;
      if (exact.length > 0) {
        out.add(new Group<>(node.path, exact));
      }
      return;
    }
    Object[] tail = node.tail;
    if (tail.length > 0) {
      out.add(new Group<>(node.tailPattern(), tail));
    }
    int end = channel.indexOf(':', start);
    if (end < 0) {
      end = channel.length();
    }
    Map<String, Node> children = node.children;
    if (children != null) {
      Node child = children.get(channel.substring(start, end));
      if (child != null) {
        walk(child, channel, end + 1, out);
      }
    }
    Node star = node.star;
    if (star != null) {
      walk(star, channel, end + 1, out);
    }
  }

  /** Every subscribed pattern with its number of subscribers. */
  public synchronized Map<String, Integer> patternCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    collect(root, counts);
    return counts;
  }

  private void collect(Node node, Map<String, Integer> counts) {
    if (node.exact.length > 0) {
      counts.put(node.path, node.exact.length);
    }
    if (node.tail.length > 0) {
      counts.put(node.tailPattern(), node.tail.length);
    }
    Map<String, Node> children = node.children;
    if (children != null) {
      children.values().forEach(child -> collect(child, counts));
    }
    if (node.star != null) {
      collect(node.star, counts);
    }
  }

  private void prune(Node node) {
    while (node.parent != null && node.isEmpty()) {
      node.parent.removeChild(node);
      node = node.parent;
    }
  }

  private static int indexOf(Object[] array, Object wanted) {
    for (int i = 0; i < array.length; i++) {
      if (array[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  /** Subscribers of one matching pattern; the array is shared and must not be modified. */
  public record Group<S>(String pattern, Object[] members) {
    @SuppressWarnings("unchecked")
    public S member(int i) {
      return (S) members[i];
    }

    public int size() {
      return members.length;
    }
  }

  private static final class Node {
    final Node parent;
    final String segment;
    final String path;
    volatile ConcurrentHashMap<String, Node> children;
    volatile Node star;
    volatile Object[] exact = NONE;
    volatile Object[] tail = NONE;
    private String tailPattern;

    Node(Node parent, String segment, String path) {
      this.parent = parent;
      this.segment = segment;
      this.path = path;
    }

    Node child(String segment) {
      if (segment.equals(ChannelNames.WILDCARD)) {
        return star;
      }
      Map<String, Node> map = children;
      return map == null ? null : map.get(segment);
    }

    Node childForAdd(String segment) {
      Node existing = child(segment);
      if (existing != null) {
        return existing;
      }
      Node created = new Node(this, segment, path.isEmpty() ? segment : path + ":" + segment);
      if (segment.equals(ChannelNames.WILDCARD)) {
        star = created;
      } else {
        if (children == null) {
          children = new ConcurrentHashMap<>(4);
        }
        children.put(segment, created);
      }
      return created;
    }

    void removeChild(Node child) {
      if (child == star) {
        star = null;
      } else if (children != null) {
        children.remove(child.segment);
        if (children.isEmpty()) {
          children = null;
        }
      }
    }

    boolean isEmpty() {
      return exact.length == 0
          && tail.length == 0
          && star == null
          && (children == null || children.isEmpty());
    }

    String tailPattern() {
      String cached = tailPattern;
      if (cached == null) {
        cached = path.isEmpty() ? ChannelNames.WILDCARD : path + ":" + ChannelNames.WILDCARD;
        tailPattern = cached;
      }
      return cached;
    }
  }
}
