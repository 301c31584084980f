package io.cmws.protocol;

/** A client frame the hub refuses; becomes an {@code error} frame with {@link #code()}. */
public class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
