package io.contentmachine.kit.tracing;

import java.util.List;
import java.util.Locale;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Tracing is off unless an OTLP endpoint is set: {@code quarkus.otel.sdk.disabled}, when nobody set it, answers {@code true}
 * without an endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code quarkus.otel.exporter.otlp[.traces].endpoint}) and
 * {@code false} with one. Quarkus fixes whether the OTLP exporter exists at build time, and it would otherwise send to
 * localhost:4317 and log every failed export; the SDK switch is the one that can be thrown at run time.
 * An explicit {@code quarkus.otel.sdk.disabled} (e.g. {@code QUARKUS_OTEL_SDK_DISABLED=false} to propagate trace context
 * without exporting anywhere) wins.
 */
public class ExportSwitch implements ConfigSourceInterceptor {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    private static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.traces.endpoint",
            "quarkus.otel.exporter.otlp.endpoint", "otel.exporter.otlp.traces.endpoint", "otel.exporter.otlp.endpoint");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!SDK_DISABLED.equals(name) || value != null && value.getConfigSourceOrdinal() > 0 && !isDefault(value)) {
            return value;
        }
        boolean endpoint = ENDPOINTS.stream().map(context::proceed)
                .anyMatch(set -> set != null && set.getValue() != null && !set.getValue().isBlank());
        return ConfigValue.builder().withName(name).withValue(String.valueOf(!endpoint))
                .withConfigSourceName(ExportSwitch.class.getSimpleName()).withConfigSourceOrdinal(1).build();
    }

    private static boolean isDefault(ConfigValue value) {
        String source = value.getConfigSourceName();
        return source != null && source.toLowerCase(Locale.ROOT).contains("default");
    }
}
