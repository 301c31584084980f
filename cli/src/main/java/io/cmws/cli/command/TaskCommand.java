package io.cmws.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cmws task}: the task queue of a cmws hub. */
@Command(
    name = "task",
    mixinStandardHelpOptions = true,
    description = {"Submit, list, inspect and cancel tasks on a cmws hub."},
    subcommands = {
      TaskSubmitCommand.class,
      TaskListCommand.class,
      TaskGetCommand.class,
      TaskCancelCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws task submit echo '{\"hello\":1}' --wait",
      "  cmws task list --state failed",
      "  cmws task get 0f3c...",
      "  cmws task cancel 0f3c..."
    })
public final class TaskCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: submit, list, get or cancel");
  }
}
