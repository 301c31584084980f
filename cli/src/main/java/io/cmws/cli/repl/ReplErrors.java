package io.cmws.cli.repl;

import io.cmws.cli.support.ExitCode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A line typed at the prompt that does not parse, told in the REPL's words ({@code unknown command
 * 'bogus' (did you mean 'status'?)}, {@code subscribe: missing PATTERN}) in one line, not in
 * picocli's with a usage page.
 */
final class ReplErrors {
  private ReplErrors() {}

  /** For {@link CommandLine#setParameterExceptionHandler}: prints the message, exit 2. */
  static int handle(ParameterException ex, String[] args) {
    ex.getCommandLine().getErr().println(message(ex));
    return ExitCode.USAGE;
  }

  static String message(ParameterException ex) {
    CommandLine where = ex.getCommandLine();
    String command = commandName(where);
    if (ex instanceof UnmatchedArgumentException unmatched) {
      String word = unmatched.getUnmatched().isEmpty() ? "" : unmatched.getUnmatched().get(0);
      if (command.isEmpty()) {
        return "unknown command '" + word + "'" + suggestion(unmatched.getSuggestions());
      }
      return command
          + ": unexpected '"
          + String.join(" ", unmatched.getUnmatched())
          + "' (see 'help "
          + command
          + "')";
    }
    if (ex instanceof MissingParameterException missing) {
      List<String> names = new ArrayList<>();
      for (ArgSpec arg : missing.getMissing()) {
        names.add(name(arg));
      }
      return command + ": missing " + String.join(", ", names);
    }
    String text = ex.getMessage() == null ? "invalid input" : ex.getMessage();
    text = Character.toLowerCase(text.charAt(0)) + text.substring(1);
    return command.isEmpty() ? text : command + ": " + text;
  }

  private static String suggestion(List<String> suggestions) {
    List<String> commands = suggestions.stream().filter(s -> !s.startsWith("-")).limit(2).toList();
    if (commands.isEmpty()) {
      return " (type 'help' for the commands)";
    }
    return " (did you mean '" + String.join("' or '", commands) + "'?)";
  }

  private static String name(ArgSpec arg) {
    if (arg instanceof OptionSpec option) {
      return option.longestName();
    }
    return ((PositionalParamSpec) arg).paramLabel();
  }

  /** "task submit" for a nested command; empty at the top of the REPL's tree. */
  private static String commandName(CommandLine where) {
    List<String> names = new ArrayList<>();
    for (CommandLine c = where; c.getParent() != null; c = c.getParent()) {
      names.add(0, c.getCommandName());
    }
    return String.join(" ", names);
  }
}
