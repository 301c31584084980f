package io.cmws.protocol;

/** Machine-readable reason carried in the {@code code} field of an {@code error} frame. */
public enum ErrorCode {
  BAD_JSON("bad_json"),
  BAD_FRAME("bad_frame"),
  UNKNOWN_TYPE("unknown_type"),
  UNAUTHENTICATED("unauthenticated"),
  FORBIDDEN("forbidden"),
  INVALID_CHANNEL("invalid_channel"),
  INVALID_PATTERN("invalid_pattern"),
  ALREADY_AUTHENTICATED("already_authenticated"),
  NOT_A_WORKER("not_a_worker"),
  /** A federation frame from a connection that is not a registered hub. */
  NOT_A_HUB("not_a_hub"),
  NOT_FOUND("not_found"),
  NOT_OWNER("not_owner"),
  QUEUE_FULL("queue_full"),
  /** A per-client limit (subscriptions, channels per subscribe, unfinished tasks) was reached. */
  LIMIT_EXCEEDED("limit_exceeded"),
  /** More messages than the per-connection rate allows; the message was dropped. */
  RATE_LIMITED("rate_limited"),
  /**
   * The hub cannot take this now (its store is behind, its Redis is down); retrying later may work.
   */
  UNAVAILABLE("unavailable"),
  INTERNAL("internal");

  private final String wireName;

  ErrorCode(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
