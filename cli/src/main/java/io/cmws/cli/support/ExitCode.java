package io.cmws.cli.support;

/** The exit codes of every cmws command; listed in {@code cmws --help} and the README. */
public final class ExitCode {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int CONNECTION = 3;
  public static final int TIMEOUT = 4;
  public static final int REJECTED = 5;
  public static final int INTERRUPTED = 130;

  private ExitCode() {}
}
