package io.cmws.cli.option.serve;

import io.cmws.cli.support.CliException;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.BrowserGuard;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code cmws serve}: who gets in, with which permissions, from which pages and host names. */
public final class AccessOptions {
  @Option(
      names = "--token",
      paramLabel = "NAME=SECRET[:PERMS]",
      description =
          "A token clients may present; PERMS is a comma list of subscribe, broadcast, task:receive,"
              + " task:complete, task:submit, federate, admin (none listed: all). Repeatable."
              + " Env CMWS_HUB_TOKENS holds more, separated by spaces.")
  List<String> tokens = new ArrayList<>();

  @Option(
      names = "--tokens-file",
      paramLabel = "FILE",
      defaultValue = "${env:CMWS_TOKENS_FILE}",
      description =
          "File with one NAME=SECRET[:PERMS] [channels=P1,P2] per line (env CMWS_TOKENS_FILE).")
  Path tokensFile;

  @Option(
      names = "--token-channels",
      paramLabel = "NAME=PATTERN[,PATTERN...]",
      description =
          "Limit token NAME to these channels: it may subscribe only to patterns inside them and"
              + " publish only on channels they match, e.g. ui=session:*. Repeatable.")
  List<String> tokenChannels = new ArrayList<>();

  @Option(
      names = "--allowed-origin",
      paramLabel = "ORIGIN",
      split = ",",
      defaultValue = "${env:CMWS_ALLOWED_ORIGINS}",
      description =
          "Web pages allowed to connect besides loopback ones (http(s)://localhost, 127.x.x.x,"
              + " [::1] on any port), e.g. https://app.example.com (comma-separated or repeated;"
              + " env CMWS_ALLOWED_ORIGINS). A handshake with another Origin is refused with 403;"
              + " '*' lets pages of any web site in. Clients that send no Origin (tools, workers)"
              + " are not affected.")
  List<String> allowedOrigins = new ArrayList<>();

  @Option(
      names = "--allowed-host",
      paramLabel = "HOST",
      split = ",",
      defaultValue = "${env:CMWS_ALLOWED_HOSTS}",
      description =
          "Host names clients may use to reach this hub, besides localhost, 127.x.x.x and [::1]"
              + " while it listens on loopback (comma-separated or repeated; env"
              + " CMWS_ALLOWED_HOSTS). Other Host headers are refused with 403, which stops DNS"
              + " rebinding. On a network address, only listed hosts are checked.")
  List<String> allowedHosts = new ArrayList<>();

  @Option(
      names = "--allow-anonymous",
      defaultValue = "${env:CMWS_ALLOW_ANONYMOUS:-false}",
      description =
          "Let non-loopback clients in without a token, with their type's default permissions"
              + " (env CMWS_ALLOW_ANONYMOUS).")
  boolean allowAnonymous;

  /** The tokens and access rules; a hub on a network address without tokens is refused. */
  public AccessPolicy policy(Map<String, String> env, NetworkOptions network) {
    TokenRegistry registry = new TokenRegistry(withChannelLimits(specs(env)));
    if (registry.isEmpty() && !allowAnonymous && !network.loopback()) {
      throw CliException.usage(
          "refusing to listen on "
              + network.host()
              + " without tokens: remote clients could never authenticate. Add --token"
              + " NAME=SECRET (or --tokens-file), or --allow-anonymous to let anyone in.");
    }
    return new AccessPolicy(registry, allowAnonymous);
  }

  /** Which pages and host names the hub answers. */
  public BrowserGuard browsers(NetworkOptions network) {
    return new BrowserGuard(
        allowedOrigins == null ? List.of() : allowedOrigins,
        allowedHosts == null ? List.of() : allowedHosts,
        network.loopback());
  }

  private List<TokenSpec> specs(Map<String, String> env) {
    List<TokenSpec> specs = new ArrayList<>();
    for (String spec : tokens) {
      specs.add(TokenSpec.parse(spec));
    }
    String envTokens = env.get("CMWS_HUB_TOKENS");
    if (envTokens != null) {
      for (String spec : envTokens.trim().split("\\s+")) {
        if (!spec.isEmpty()) {
          specs.add(TokenSpec.parse(spec));
        }
      }
    }
    if (tokensFile != null) {
      try {
        specs.addAll(TokenRegistry.readFile(tokensFile));
      } catch (IOException e) {
        throw CliException.usage("cannot read tokens file: " + e.getMessage());
      }
    }
    return specs;
  }

  /** Applies --token-channels to the tokens they name. */
  private List<TokenSpec> withChannelLimits(List<TokenSpec> specs) {
    List<TokenSpec> limited = new ArrayList<>(specs);
    for (String spec : tokenChannels) {
      int eq = spec.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage(
            "--token-channels must look like NAME=PATTERN[,PATTERN...], got '" + spec + "'");
      }
      String name = spec.substring(0, eq).trim();
      List<String> patterns =
          Arrays.stream(spec.substring(eq + 1).split(","))
              .map(String::trim)
              .filter(p -> !p.isEmpty())
              .toList();
      int index = -1;
      for (int i = 0; i < limited.size(); i++) {
        if (limited.get(i).name().equals(name)) {
          index = i;
        }
      }
      if (index < 0) {
        throw CliException.usage(
            "--token-channels names token '" + name + "', which is not configured");
      }
      limited.set(index, limited.get(index).withChannels(patterns));
    }
    return limited;
  }
}
