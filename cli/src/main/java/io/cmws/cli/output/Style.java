package io.cmws.cli.output;

import java.util.Locale;
import java.util.Map;

/**
 * The one colour decision: on only when stdout is a terminal, {@code NO_COLOR} is unset or empty
 * and {@code TERM} is not {@code dumb}, unless {@code --color} or {@code CLICOLOR_FORCE} say
 * otherwise. Colour decorates; it never changes content.
 */
public final class Style {
  private final boolean enabled;

  private Style(boolean enabled) {
    this.enabled = enabled;
  }

  public static Style plain() {
    return new Style(false);
  }

  public static Style decide(
      String colorOption, boolean stdoutIsTerminal, Map<String, String> env) {
    String choice = colorOption == null ? "auto" : colorOption.toLowerCase(Locale.ROOT);
    if (choice.equals("always")) {
      return new Style(true);
    }
    if (choice.equals("never")) {
      return new Style(false);
    }
    String force = env.get("CLICOLOR_FORCE");
    if (force != null && !force.isEmpty() && !force.equals("0")) {
      return new Style(true);
    }
    String noColor = env.get("NO_COLOR");
    boolean off = (noColor != null && !noColor.isEmpty()) || "dumb".equals(env.get("TERM"));
    return new Style(stdoutIsTerminal && !off);
  }

  public boolean enabled() {
    return enabled;
  }

  public String channel(String text) {
    return wrap("36", text);
  }

  public String dim(String text) {
    return wrap("2", text);
  }

  public String error(String text) {
    return wrap("31", text);
  }

  public String key(String text) {
    return wrap("34", text);
  }

  public String string(String text) {
    return wrap("32", text);
  }

  public String number(String text) {
    return wrap("33", text);
  }

  public String literal(String text) {
    return wrap("35", text);
  }

  private String wrap(String code, String text) {
    return enabled ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }
}
