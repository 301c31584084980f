package io.cmws.cli.worker;

import io.cmws.cli.client.HubUrls;
import java.time.Duration;
import java.util.List;

/** Everything a worker needs to know to run. */
record WorkerSettings(
    HubUrls hubs,
    String token,
    Duration connectTimeout,
    String name, // --name; null: derived from the host name
    List<String> capabilities,
    int concurrency,
    Duration heartbeatInterval,
    Duration drainTimeout,
    Duration defaultTaskTimeout,
    String version) {}
