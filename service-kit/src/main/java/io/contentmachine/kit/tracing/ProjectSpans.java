package io.contentmachine.kit.tracing;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Gives every span the project id it works for ({@link Traces#PROJECT}): from the baggage of its parent context (set where a
 * record, a job or a request names the project, and propagated to other services with the W3C {@code baggage} header), else
 * from its parent span in this service. Quarkus adds every {@link SpanProcessor} bean to its tracer provider.
 */
@ApplicationScoped
public class ProjectSpans implements SpanProcessor {

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String projectId = Baggage.fromContext(parentContext).getEntryValue(Traces.PROJECT_BAGGAGE);
        if (projectId == null && Span.fromContext(parentContext) instanceof ReadableSpan parent) {
            projectId = parent.getAttribute(Traces.PROJECT);
        }
        if (projectId != null) {
            span.setAttribute(Traces.PROJECT, projectId);
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
