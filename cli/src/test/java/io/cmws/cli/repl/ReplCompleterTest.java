package io.cmws.cli.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.cli.output.Style;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ReplCompleterTest {

  private static List<String> complete(ReplCompleter completer, String line) {
    ParsedLine parsed = new DefaultParser().parse(line, line.length());
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, parsed, candidates);
    return candidates.stream().map(Candidate::value).sorted().toList();
  }

  @Test
  void completesCommandsOptionsAndKnownChannels() {
    Repl repl =
        new Repl(
            URI.create("ws://127.0.0.1:1/ws"),
            null,
            Duration.ofSeconds(1),
            false,
            false,
            Style.plain(),
            Map.of());
    ReplCompleter completer =
        new ReplCompleter(new CommandLine(new ReplCommands(repl)).getCommandSpec());
    assertEquals(List.of("subscribe"), complete(completer, "subs"));
    assertTrue(
        complete(completer, "")
            .containsAll(List.of("connect", "publish", "task", "workers", "channels", "exit")));
    assertEquals(List.of("submit"), complete(completer, "task su"));
    assertTrue(complete(completer, "await --t").contains("--timeout"));
    repl.state().learnChannel("session:started");
    repl.state().learnChannel("session:ended");
    repl.state().learnChannel("task:queued");
    assertEquals(
        List.of("session:ended", "session:started"), complete(completer, "subscribe sess"));
    assertEquals(List.of("task:queued"), complete(completer, "history ta"));
  }
}
