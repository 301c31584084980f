package io.cmws.redis;

/** Redis could not be reached when it had to be (a hub starting with {@code --redis}). */
public final class RedisUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
