package io.contentmachine.kit.tracing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * On a Kafka consumer (a bean whose {@code @Incoming} methods take a {@code ConsumerRecord}): each record is handled inside a
 * span continuing the producer's trace from the record's headers, current for the whole handling, so the handler's database
 * spans and the outbox rows and jobs it writes belong to the video's trace. See {@link ConsumerTracing}.
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface TracedConsumer {
}
