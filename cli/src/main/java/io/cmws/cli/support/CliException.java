package io.cmws.cli.support;

/**
 * A failure the user should see as one line and an exit code, without a stack trace. {@code code}
 * is a stable machine-readable name for {@code --json} error lines.
 */
public class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final String code;

  public CliException(int exitCode, String code, String message) {
    super(message);
    this.exitCode = exitCode;
    this.code = code;
  }

  public CliException(int exitCode, String code, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.code = code;
  }

  public static CliException connection(String message) {
    return new CliException(ExitCode.CONNECTION, "CONNECTION", message);
  }

  public static CliException timeout(String message) {
    return new CliException(ExitCode.TIMEOUT, "TIMEOUT", message);
  }

  public static CliException rejected(String message) {
    return new CliException(ExitCode.REJECTED, "REJECTED", message);
  }

  public static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, "USAGE", message);
  }

  public static CliException failure(String message, Throwable cause) {
    return new CliException(ExitCode.FAILURE, "FAILURE", message, cause);
  }

  public int exitCode() {
    return exitCode;
  }

  public String code() {
    return code;
  }
}
