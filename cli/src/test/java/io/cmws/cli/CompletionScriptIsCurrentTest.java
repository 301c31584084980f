package io.cmws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;

/** completions/cmws.bash must match the command tree; regenerate it with the command below. */
class CompletionScriptIsCurrentTest {
  static final Path SCRIPT = Path.of("..", "completions", "cmws.bash");

  /** The script as generated from the live command tree. */
  static String generate() {
    return AutoComplete.bash("cmws", Main.commandLine(new CmwsCommand()));
  }

  @Test
  void committedScriptMatchesTheCommandTree() throws Exception {
    String committed = Files.readString(SCRIPT, StandardCharsets.UTF_8);
    assertEquals(
        generate().stripTrailing(),
        committed.stripTrailing(),
        "completions/cmws.bash is stale: run  java -jar cli/target/cmws.jar generate-completion > completions/cmws.bash");
  }
}
