package io.cmws.cli.top;

import com.fasterxml.jackson.databind.JsonNode;

/** One look at the hub: its stats, channels and workers replies, and when they were taken. */
public record TopSample(long atMillis, JsonNode stats, JsonNode channels, JsonNode workers) {}
