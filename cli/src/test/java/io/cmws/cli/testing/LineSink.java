package io.cmws.cli.testing;

import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Writer that hands over complete lines through a queue, so tests can wait for output. */
public final class LineSink extends Writer {
  private final StringBuilder partial = new StringBuilder();
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();

  @Override
  public synchronized void write(char[] buffer, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      char c = buffer[i];
      if (c == '\n') {
        String line = partial.toString();
        partial.setLength(0);
        all.add(line);
        lines.add(line);
      } else if (c != '\r') {
        partial.append(c);
      }
    }
  }

  /** Feeds a line that came from elsewhere (a process pipe). */
  public synchronized void addLine(String line) {
    all.add(line);
    lines.add(line);
  }

  /** The next unread line, failing after {@code timeout}. */
  public String next(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("no output line within " + timeout + "; so far: " + snapshot());
    }
    return line;
  }

  /** Waits for a line containing {@code text}, skipping others. */
  public String await(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError(
            "no line containing '" + text + "' within " + timeout + "; got: " + snapshot());
      }
      if (line.contains(text)) {
        return line;
      }
    }
  }

  public synchronized List<String> snapshot() {
    List<String> copy = new ArrayList<>(all);
    if (partial.length() > 0) {
      copy.add(partial.toString());
    }
    return copy;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
