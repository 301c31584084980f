package io.cmws.cli.output;

/** How records go to stdout. */
public enum OutputFormat {
  /** {@code <channel> <data>}, one event a line. */
  TEXT,
  /** The data only. */
  RAW,
  /** JSON Lines with a stable envelope, flushed per line. */
  JSON
}
