package io.cmws.cli.support;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses {@code 1048576}, {@code 512KiB}, {@code 1MiB}, {@code 4k}, {@code 2m} (binary units). */
public final class ByteSizeConverter implements CommandLine.ITypeConverter<Integer> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib)?");

  @Override
  public Integer convert(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a size; use e.g. 65536, 512KiB or 1MiB");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    long bytes =
        unit.startsWith("k") ? amount * 1024 : unit.startsWith("m") ? amount * 1024 * 1024 : amount;
    if (bytes > Integer.MAX_VALUE) {
      throw new CommandLine.TypeConversionException("'" + value + "' is larger than 2 GiB");
    }
    return (int) bytes;
  }
}
