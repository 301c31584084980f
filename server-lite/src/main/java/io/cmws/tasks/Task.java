package io.cmws.tasks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A snapshot of a task, as {@code task:info} and {@code task:listed} show it. {@code attempt} is
 * the number of attempts started so far; {@code workerId} the worker of the current or last one;
 * {@code submittedBy} the submitter's token name ({@code token:NAME}) or {@code local}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Task(
    String id,
    String type,
    String state,
    String capability,
    List<String> fallbackCapabilities,
    int priority,
    int maxRetries,
    int attempt,
    long timeoutMs,
    String workerId,
    String clientId,
    String submittedBy,
    String deduplicationKey,
    long createdAt,
    Long assignedAt,
    Long completedAt,
    Long retryAfter,
    JsonNode payload,
    JsonNode result,
    String error) {}
