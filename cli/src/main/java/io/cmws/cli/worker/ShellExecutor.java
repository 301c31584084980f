package io.cmws.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.executor.TaskContext;
import io.cmws.executor.TaskExecutor;
import io.cmws.executor.TaskFailedException;
import io.cmws.protocol.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code sh -c COMMAND} per task: the payload as JSON on stdin; the task in {@code
 * CMWS_TASK_ID}, {@code CMWS_TASK_TYPE}, {@code CMWS_TASK_CAPABILITY}, {@code CMWS_TASK_ATTEMPT}.
 * Exit 0: stdout is the result (JSON if it parses, else a string). A stderr line {@code progress N
 * [message]} reports progress. Failures carry the tail of stderr; exit 75 (EX_TEMPFAIL) and codes
 * outside 64-78 are retried, the other sysexits codes 64-78 are permanent. A timeout or
 * cancellation kills the whole process tree.
 */
final class ShellExecutor implements TaskExecutor {
  static final int EX_TEMPFAIL = 75;
  static final int MAX_STDOUT = 8 * 1024 * 1024;
  private static final int STDERR_TAIL_LINES = 20;
  private static final Pattern PROGRESS = Pattern.compile("progress\\s+(\\d+(?:\\.\\d+)?)\\s*(.*)");

  private final String command;

  ShellExecutor(String command) {
    this.command = command;
  }

  @Override
  public String name() {
    return "shell";
  }

  /** Whether a failing exit code is worth another attempt. */
  static boolean retryable(int exitCode) {
    return exitCode == EX_TEMPFAIL || exitCode < 64 || exitCode > 78;
  }

  @Override
  public JsonNode execute(TaskContext task) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
    Map<String, String> env = builder.environment();
    env.put("CMWS_TASK_ID", task.taskId());
    env.put("CMWS_TASK_TYPE", task.type());
    env.put("CMWS_TASK_CAPABILITY", task.capability());
    env.put("CMWS_TASK_ATTEMPT", Integer.toString(task.attempt()));
    Process process = builder.start();
    Deque<String> stderrTail = new ArrayDeque<>();
    Thread stderr = pump("stderr", () -> readStderr(process.getErrorStream(), task, stderrTail));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Thread stdoutPump = pump("stdout", () -> copyLimited(process.getInputStream(), stdout));
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(Json.write(task.payload()).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the command does not read its stdin: fine
    }
    try {
      if (!process.waitFor(task.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTrees.kill(process.toHandle());
        throw new TaskFailedException(
            "timed out after " + task.timeout().toMillis() + " ms: killed `" + command + "`", true);
      }
    } catch (InterruptedException e) {
      ProcessTrees.kill(process.toHandle());
      throw e;
    }
    stdoutPump.join(5000);
    stderr.join(5000);
    int exit = process.exitValue();
    if (exit != 0) {
      String tail;
      synchronized (stderrTail) {
        tail = String.join("\n", stderrTail);
      }
      throw new TaskFailedException(
          "`" + command + "` exited " + exit + (tail.isEmpty() ? "" : ": " + tail),
          retryable(exit));
    }
    if (stdout.size() > MAX_STDOUT) {
      throw new TaskFailedException("stdout is larger than " + MAX_STDOUT + " bytes", false);
    }
    String text = stdout.toString(StandardCharsets.UTF_8).strip();
    return Json.parseOrString(text);
  }

  private static void readStderr(InputStream in, TaskContext task, Deque<String> tail) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        Matcher progress = PROGRESS.matcher(line.strip());
        if (progress.matches()) {
          task.progress(
              Double.parseDouble(progress.group(1)),
              progress.group(2).isBlank() ? null : progress.group(2));
          continue;
        }
        synchronized (tail) {
          tail.addLast(line.length() > 400 ? line.substring(0, 400) + "..." : line);
          while (tail.size() > STDERR_TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  private static void copyLimited(InputStream in, ByteArrayOutputStream out) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (out.size() <= MAX_STDOUT) {
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  private static Thread pump(String name, Runnable body) {
    Thread thread = new Thread(body, "cmws-shell-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
