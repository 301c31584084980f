package io.cmws.cli.option.serve;

import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
import io.cmws.federation.UpstreamConfig;
import io.cmws.hub.HubConfig;
import io.cmws.tasks.FederationPolicy;
import io.cmws.tasks.FederationStrategy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code cmws serve}: this hub in a federation, as a parent of hubs and as a child of one. */
public final class FederationOptions {
  @Option(
      names = "--hub-name",
      paramLabel = "NAME",
      defaultValue = "${env:CMWS_HUB_NAME}",
      description =
          "This hub's name among federated hubs (env CMWS_HUB_NAME; default: the host name).")
  String hubName;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      defaultValue = "${env:CMWS_REGION}",
      description = "This hub's region, for tasks that prefer one (env CMWS_REGION).")
  String region;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "A label of this hub, for tasks that prefer one (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--federation-strategy",
      paramLabel = "STRATEGY",
      defaultValue = "${env:CMWS_FEDERATION_STRATEGY:-priority}",
      description =
          "How a task picks among this hub's workers and federated hubs that can run it:"
              + " priority, weighted, round-robin or least-loaded (default ${DEFAULT-VALUE}).")
  String strategy;

  @Option(
      names = "--hub-priority",
      paramLabel = "NAME=N",
      description =
          "Pool priority of federated hub NAME (default 50; this hub's own workers: 100)."
              + " Repeatable; a token's priority= wins.")
  Map<String, Integer> priorities = new LinkedHashMap<>();

  @Option(
      names = "--hub-weight",
      paramLabel = "NAME=N",
      description = "Pool weight of federated hub NAME for the weighted strategy (default 100).")
  Map<String, Integer> weights = new LinkedHashMap<>();

  @Option(
      names = "--hub-health-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:CMWS_HUB_HEALTH_TIMEOUT:-180s}",
      description =
          "Close (4005) a hub on /ws/hub that sent no hub:health for this long (default"
              + " ${DEFAULT-VALUE}, as claude-mem).")
  Duration healthTimeout;

  @Option(
      names = "--upstream",
      paramLabel = "URL[,URL...]",
      defaultValue = "${env:CMWS_UPSTREAM}",
      description =
          "Join this parent hub as a worker pool: a cmws hub's ws://HOST:37777/ws, or a claude-mem"
              + " backend's ws://HOST:37777/ws/hub. Several: tried in turn (env CMWS_UPSTREAM).")
  String upstream;

  @Option(
      names = "--upstream-token",
      paramLabel = "SECRET",
      defaultValue = "${env:CMWS_UPSTREAM_TOKEN}",
      description =
          "The token to join the parent with; it must hold federate (env CMWS_UPSTREAM_TOKEN).")
  String upstreamToken;

  @Option(
      names = "--upstream-publish",
      paramLabel = "PATTERN",
      split = ",",
      description = "Forward this hub's events on matching channels to the parent (repeatable).")
  List<String> publish = new ArrayList<>();

  @Option(
      names = "--upstream-subscribe",
      paramLabel = "PATTERN",
      split = ",",
      description = "Republish the parent's events on matching channels here (repeatable).")
  List<String> subscribe = new ArrayList<>();

  /** This hub's name: as given, else the host name. */
  public String name() {
    if (hubName != null && !hubName.isBlank()) {
      return hubName.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "cmws";
    }
  }

  public HubConfig.Federation federation() {
    FederationPolicy policy =
        FederationPolicy.standard()
            .withStrategy(FederationStrategy.parse(strategy))
            .withPriorities(priorities)
            .withWeights(weights)
            .withIdentity(name(), region, labels);
    return new HubConfig.Federation(policy, healthTimeout);
  }

  /** The parent to join; null for none. */
  public UpstreamConfig upstream() {
    if (upstream == null || upstream.isBlank()) {
      if (!publish.isEmpty() || !subscribe.isEmpty() || upstreamToken != null) {
        throw CliException.usage(
            "--upstream-publish, --upstream-subscribe and --upstream-token need --upstream");
      }
      return null;
    }
    List<URI> urls =
        Arrays.stream(upstream.split(","))
            .map(String::trim)
            .filter(u -> !u.isEmpty())
            .map(URI::create)
            .toList();
    return new UpstreamConfig(urls, upstreamToken, publish, subscribe);
  }
}
