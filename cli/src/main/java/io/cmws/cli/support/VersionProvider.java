package io.cmws.cli.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code cmws --version}: the Maven project version, filtered into version.properties. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  private static final String VERSION = load();

  public static String version() {
    return VERSION;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"cmws " + VERSION};
  }

  private static String load() {
    try (InputStream in =
        VersionProvider.class.getResourceAsStream("/io/cmws/cli/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
