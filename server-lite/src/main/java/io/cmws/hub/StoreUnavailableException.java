package io.cmws.hub;

/** The store cannot take what the hub asks of it now; the client is told, the hub goes on. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
