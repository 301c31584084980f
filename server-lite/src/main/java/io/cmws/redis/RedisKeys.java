package io.cmws.redis;

/** The names of everything cmws keeps in Redis, under one prefix. */
final class RedisKeys {
  private final String prefix;

  RedisKeys(String prefix) {
    this.prefix = prefix;
  }

  /** The history epoch: a new one means the shared history was lost. */
  String epoch() {
    return prefix + ":epoch";
  }

  /** Hash: channel → last seq handed out. */
  String seqs() {
    return prefix + ":seq";
  }

  /** Stream of a channel's kept events; entry id {@code <seq>-1}. */
  String history(String channel) {
    return prefix + ":h:" + channel;
  }

  /** Set of channels ever published on. */
  String channels() {
    return prefix + ":channels";
  }

  /** Pub/sub channel of the task dispatchers' signals. */
  String signals() {
    return prefix + ":signals";
  }

  /** Pub/sub channel every hub listens on for events. */
  String events() {
    return prefix + ":events";
  }
}
