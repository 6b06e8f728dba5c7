package io.contentmachine.kit.tracing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Handles a consumed record inside a {@code <topic> process} span whose parent is the producer's span from the record's
 * {@code traceparent} header, with the project (the record key) in the baggage. SmallRye's own Kafka tracing ends its
 * receive span before the handler runs and leaves nothing current, so without this the handler's spans and the outbox rows
 * it writes would start new traces.
 * <p>
 * The span's context is made current on the message's own duplicated Vert.x context and left there: the handler's
 * {@code Uni} runs later on that context, so a scope closed on return would end the trace's reach too early. Each record
 * gets a context of its own; the next record attaches its own before its handler runs.
 */
@TracedConsumer
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER)
public class ConsumerTracing {

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            carrier.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            Header header = carrier == null ? null : carrier.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final OpenTelemetry telemetry;
    private final Tracer tracer;

    ConsumerTracing(OpenTelemetry telemetry) {
        this.telemetry = telemetry;
        this.tracer = telemetry.getTracer("io.contentmachine.kit");
    }

    @AroundInvoke
    Object trace(InvocationContext invocation) throws Exception {
        Object[] parameters = invocation.getParameters();
        if (parameters.length == 0 || !(parameters[0] instanceof ConsumerRecord<?, ?> record)) {
            return invocation.proceed();
        }
        Context parent = telemetry.getPropagators().getTextMapPropagator().extract(Context.root(), record.headers(), HEADERS);
        parent = Traces.withProject(parent, record.key() == null ? null : record.key().toString());
        Span span = tracer.spanBuilder(record.topic() + " process").setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
        Context context = parent.with(span);
        boolean own = VertxContext.isOnDuplicatedContext();
        // off a duplicated context (a plain thread), the context must not outlive the call: it would leak into later work
        Scope scope = context.makeCurrent();
        Object result;
        try {
            result = invocation.proceed();
        } catch (Exception | Error e) {
            end(span, e);
            scope.close();
            throw e;
        }
        if (!own) {
            scope.close();
        }
        if (result instanceof Uni<?> uni) {
            return uni.onTermination().invoke((item, failure, cancelled) -> end(span, failure));
        }
        end(span, null);
        return result;
    }

    private static void end(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
        span.end();
    }
}
