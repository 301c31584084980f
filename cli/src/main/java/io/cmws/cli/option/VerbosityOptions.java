package io.cmws.cli.option;

import picocli.CommandLine.Option;

/** {@code -v} (repeatable) and {@code -q}; applied to logging before a command runs. */
public final class VerbosityOptions {
  @Option(
      names = {"-v", "--verbose"},
      order = 90,
      description = "More detail on stderr; repeat for debug (-vv) and trace (-vvv).")
  boolean[] verbose = new boolean[0];

  @Option(
      names = {"-q", "--quiet"},
      order = 91,
      description = "Only errors on stderr.")
  boolean quiet;

  public int level() {
    return quiet ? -1 : verbose.length;
  }

  public boolean quiet() {
    return quiet;
  }
}
