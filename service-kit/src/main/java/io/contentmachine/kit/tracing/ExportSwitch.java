package io.contentmachine.kit.tracing;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is off unless an OTLP endpoint is set. Quarkus fixes at build time that the OTLP exporter exists, and without an
 * endpoint it would send to localhost:4317 and log every failed export; the SDK switch is the one that can be thrown at run
 * time. This source (ordinal 110: above the defaults, below application.properties, system properties and the
 * environment, so an explicit setting wins) gives:
 * <ul>
 * <li>{@code quarkus.otel.sdk.disabled}: {@code false} when an endpoint is set in the environment or a system property
 * ({@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_ENDPOINT} or Quarkus' own
 * {@code QUARKUS_OTEL_EXPORTER_OTLP[_TRACES]_ENDPOINT}), else {@code true};</li>
 * <li>{@code quarkus.otel.exporter.otlp.traces.endpoint}: the standard variable's endpoint;</li>
 * <li>{@code quarkus.otel.exporter.otlp.traces.protocol}: {@code OTEL_EXPORTER_OTLP_PROTOCOL}, else {@code http/protobuf}
 * (the standard's default; Quarkus' is grpc).</li>
 * </ul>
 * A value computed from other settings must come from a source, not an interceptor: Quarkus hands the OpenTelemetry SDK
 * the {@code otel.*} properties it finds by name in the sources. An endpoint set only in application.properties needs
 * {@code quarkus.otel.sdk.disabled=false} beside it.
 */
public class ExportSwitch implements ConfigSource {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    static final String PROTOCOL = "quarkus.otel.exporter.otlp.traces.protocol";
    private static final List<String> STANDARD = List.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT");
    private static final List<String> QUARKUS = List.of("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT");

    private final Map<String, String> values;

    public ExportSwitch() {
        this(System.getenv(), System.getProperties());
    }

    ExportSwitch(Map<String, String> env, Map<Object, Object> properties) {
        Map<String, String> values = new HashMap<>();
        String standard = first(env, properties, STANDARD);
        String endpoint = standard != null ? standard : first(env, properties, QUARKUS);
        values.put(SDK_DISABLED, String.valueOf(endpoint == null));
        if (standard != null) {
            values.put(ENDPOINT, standard);
        }
        String protocol = first(env, properties, List.of("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"));
        values.put(PROTOCOL, protocol != null ? protocol : "http/protobuf");
        this.values = Map.copyOf(values);
    }

    /** The first of the variables set (not blank) in the environment, or as a system property under its dotted name. */
    private static String first(Map<String, String> env, Map<Object, Object> properties, List<String> names) {
        for (String name : names) {
            String value = env.get(name);
            if (value == null) {
                Object property = properties.get(name.toLowerCase(Locale.ROOT).replace('_', '.'));
                value = property == null ? null : property.toString();
            }
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return ExportSwitch.class.getName();
    }

    @Override
    public int getOrdinal() {
        return 110;
    }
}
