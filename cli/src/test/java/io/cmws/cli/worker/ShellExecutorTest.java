package io.cmws.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.executor.TaskFailedException;
import io.cmws.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellExecutorTest {
  private static final JsonNode PAYLOAD = Json.parseOrString("{\"n\":7}");

  private static JsonNode run(String command) throws Exception {
    return new ShellExecutor(command).execute(new FakeContext(PAYLOAD, Duration.ofSeconds(10)));
  }

  @Test
  void passesThePayloadOnStdinAndTheTaskInTheEnvironment() throws Exception {
    assertEquals(PAYLOAD, run("cat"));
    assertEquals(
        "t-1 demo demo:cap 2",
        run("printf '%s %s %s %s' \"$CMWS_TASK_ID\" \"$CMWS_TASK_TYPE\""
                + " \"$CMWS_TASK_CAPABILITY\" \"$CMWS_TASK_ATTEMPT\"")
            .asText());
    assertEquals(
        "plain text", run("echo plain text").asText(), "stdout that is not JSON is a string");
  }

  @Test
  void reportsProgressLinesFromStderr() throws Exception {
    FakeContext context = new FakeContext(PAYLOAD, Duration.ofSeconds(10));
    new ShellExecutor("echo 'progress 25' >&2; echo 'progress 80 almost there' >&2; echo ok")
        .execute(context);
    assertEquals(List.of("25.0 null", "80.0 almost there"), context.progress);
  }

  @Test
  void failuresCarryTheStderrTailAndFollowTheExitCodeRule() {
    TaskFailedException tempfail =
        assertThrows(
            TaskFailedException.class,
            () -> run("echo 'first' >&2; echo 'disk busy' >&2; exit 75"));
    assertTrue(tempfail.retryable());
    assertTrue(
        tempfail.getMessage().endsWith("exited 75: first\ndisk busy"), tempfail.getMessage());
    assertFalse(
        assertThrows(TaskFailedException.class, () -> run("exit 65")).retryable(),
        "EX_DATAERR is permanent");
    assertTrue(assertThrows(TaskFailedException.class, () -> run("exit 1")).retryable());
    assertTrue(ShellExecutor.retryable(137));
    assertFalse(ShellExecutor.retryable(78));
    assertTrue(ShellExecutor.retryable(79));
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree(@TempDir Path dir) throws Exception {
    Path pids = dir.resolve("pids");
    String command = "sleep 60 & echo $! > " + pids + "; echo $$ >> " + pids + "; wait";
    TaskFailedException e =
        assertThrows(
            TaskFailedException.class,
            () ->
                new ShellExecutor(command)
                    .execute(new FakeContext(PAYLOAD, Duration.ofMillis(700))));
    assertTrue(e.retryable());
    assertTrue(e.getMessage().startsWith("timed out after 700 ms"), e.getMessage());
    for (String pid : Files.readAllLines(pids)) {
      // SIGKILL is sent before execute returns; the process is gone once the kernel has reaped it
      Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid.trim()));
      if (process.isPresent()) {
        try {
          process.get().onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException stillThere) {
          // asserted below
        }
      }
      assertFalse(
          process.map(ProcessHandle::isAlive).orElse(false), "process " + pid + " was killed");
    }
  }
}
