package io.contentmachine.sandbox.control;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One armed fault: the next {@code count} calls of {@code platform}/{@code operation} (any operation when null),
 * after {@code skip} calls that pass untouched, fail in the way {@code kind} says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Fault(String id, String platform, String operation, String kind, int count, int skip,
                    Integer status, Integer retryAfterSeconds, Long afterBytes, String failReason, String message) {
}
