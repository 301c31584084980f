package io.cmws.cli.worker;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Everything a worker needs to know to run. */
record WorkerSettings(
    URI url,
    String token,
    Duration connectTimeout,
    List<String> capabilities,
    int concurrency,
    Duration heartbeatInterval,
    Duration drainTimeout,
    Duration defaultTaskTimeout,
    String version) {}
