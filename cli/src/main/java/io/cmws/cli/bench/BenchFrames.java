package io.cmws.cli.bench;

import java.nio.ByteBuffer;

/**
 * The frame prefixes and fields the bench's connections look for, as bytes: the bench recognises
 * frames by their first bytes, without parsing JSON, so it can keep up with a hub.
 */
final class BenchFrames {
  static final byte[] EVENT = Bytes.ascii("{\"type\":\"event\"");
  static final byte[] AUTHED = Bytes.ascii("{\"type\":\"auth:success\"");
  static final byte[] SUBSCRIBED = Bytes.ascii("{\"type\":\"subscribed\"");
  static final byte[] PUBLISHED = Bytes.ascii("{\"type\":\"published\"");
  static final byte[] ERROR = Bytes.ascii("{\"type\":\"error\"");
  static final byte[] REGISTERED = Bytes.ascii("{\"type\":\"registered\"");
  static final byte[] ASSIGN = Bytes.ascii("{\"type\":\"task:assign\"");
  static final byte[] SUBMITTED = Bytes.ascii("{\"type\":\"task:submitted\"");
  static final byte[] RESULT = Bytes.ascii("{\"type\":\"task:result\"");
  static final byte[] COMPLETED = Bytes.ascii("\"state\":\"completed\"");
  static final byte[] TASK_ID = Bytes.ascii("\"task\":{\"id\":\"");
  static final byte[] WORKER_ID = Bytes.ascii("\"workerId\":\"");

  /** The bench's own send time in event data and task payloads: {@code {"t":<nanos>}}. */
  static final byte[] STAMP = Bytes.ascii("{\"t\":");

  /** The publisher's clock in events from elsewhere (epoch ms). */
  static final byte[] TIMESTAMP = Bytes.ascii("\"timestamp\":");

  private static final byte[] PING = Bytes.ascii("\"type\":\"ping\"");

  private BenchFrames() {}

  /** The hub's JSON ping, which every bench connection answers to stay alive. */
  static boolean isPing(ByteBuffer payload) {
    return Bytes.after(payload, PING) >= 0;
  }
}
