package io.cmws.cli.repl;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Tab completion from the REPL's picocli command tree: command names, options, and for CHANNEL and
 * PATTERN parameters the channels the hub has shown ({@link KnownChannels}).
 */
final class ReplCompleter implements Completer {
  private final CommandSpec spec;

  ReplCompleter(CommandSpec spec) {
    this.spec = spec;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    List<CharSequence> suffixes = new ArrayList<>();
    String[] words = line.words().toArray(String[]::new);
    AutoComplete.complete(
        spec, words, line.wordIndex(), line.wordCursor(), line.cursor(), suffixes);
    String prefix = line.word().substring(0, line.wordCursor());
    for (CharSequence suffix : suffixes) {
      String value = prefix + suffix;
      candidates.add(new Candidate(value, value, null, null, null, null, true));
    }
  }
}
