package io.contentmachine.kit.tracing;

import java.util.Map;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The W3C trace context as the services store it with their work: an outbox row, a job row, a publishing. A stored
 * {@code traceparent} is the span that wrote the row; whoever carries the work on later makes it the parent again
 * ({@link #parent}), so a video's pipeline is one trace across Kafka and job tables.
 * <p>
 * The project a piece of work belongs to travels as the baggage entry {@value #PROJECT_BAGGAGE}; {@link ProjectSpans} copies
 * it onto every span as the attribute {@link #PROJECT}.
 */
public final class Traces {

    /** The span attribute every span of a project's work carries. */
    public static final AttributeKey<String> PROJECT = AttributeKey.stringKey("contentmachine.project.id");
    /** The baggage entry (W3C {@code baggage} header on HTTP calls and Kafka records) that carries the project id. */
    public static final String PROJECT_BAGGAGE = "contentmachine.project.id";

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private Traces() {
    }

    /** The current span as a W3C traceparent, to store with work that leaves this transaction; null when there is no span. */
    public static String traceparent() {
        return traceparent(Span.current().getSpanContext());
    }

    /** {@code context} as a W3C traceparent; null when it is not valid. */
    public static String traceparent(SpanContext context) {
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** A context whose span is the stored {@code traceparent} (remote), or the root context when there is none or it is malformed. */
    public static Context parent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of("traceparent", traceparent), MAP);
    }

    /** The span context a stored {@code traceparent} names (invalid when there is none): for a span link. */
    public static SpanContext spanContext(String traceparent) {
        return Span.fromContext(parent(traceparent)).getSpanContext();
    }

    /** {@code context} with the project in its baggage, so every span started under it (here or downstream) names the project. */
    public static Context withProject(Context context, String projectId) {
        if (projectId == null || projectId.isBlank()) {
            return context;
        }
        return Baggage.fromContext(context).toBuilder().put(PROJECT_BAGGAGE, projectId).build().storeInContext(context);
    }

    /** Names the project on the current span (where the project id becomes known, e.g. the gateway's create). */
    public static void tagProject(String projectId) {
        if (projectId != null) {
            Span.current().setAttribute(PROJECT, projectId);
        }
    }
}
