package io.contentmachine.index.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one error shape of this service: {"error": "...", "details": [...]} (details only for validation errors). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorResponse(String error, List<String> details) {

    public static ErrorResponse of(String error) {
        return new ErrorResponse(error, List.of());
    }
}
