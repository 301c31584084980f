package io.cmws.hub;

import java.util.Map;

/** Writes the Prometheus text exposition format (version 0.0.4). Not thread-safe. */
public final class PrometheusText {
  private final StringBuilder out = new StringBuilder(2048);

  public PrometheusText gauge(String name, String help, double value) {
    header(name, "gauge", help);
    out.append(name).append(' ').append(format(value)).append('\n');
    return this;
  }

  public PrometheusText counter(String name, String help, long value) {
    header(name, "counter", help);
    out.append(name).append(' ').append(value).append('\n');
    return this;
  }

  public PrometheusText labelled(
      String name, String type, String help, String label, Map<String, ? extends Number> values) {
    header(name, type, help);
    values.forEach(
        (key, value) ->
            out.append(name)
                .append('{')
                .append(label)
                .append("=\"")
                .append(escape(key))
                .append("\"} ")
                .append(format(value.doubleValue()))
                .append('\n'));
    return this;
  }

  private void header(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String format(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value)
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
