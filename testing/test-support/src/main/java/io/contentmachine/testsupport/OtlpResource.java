package io.contentmachine.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Turns tracing on for a {@code @QuarkusTest} and sends its spans to an in-memory {@link OtlpReceiver} ({@link #receiver()}),
 * exported every 100 ms instead of every 5 s.
 */
public class OtlpResource implements QuarkusTestResourceLifecycleManager {

    private static volatile OtlpReceiver receiver;

    /** The receiver of the running test application. */
    public static OtlpReceiver receiver() {
        return receiver;
    }

    @Override
    public Map<String, String> start() {
        try {
            receiver = OtlpReceiver.start(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // an endpoint set in the application's config (not the environment) needs the SDK switched on beside it
        return Map.of("quarkus.otel.exporter.otlp.traces.endpoint", receiver.endpoint(), "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.bsp.schedule.delay", "100ms");
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }
}
