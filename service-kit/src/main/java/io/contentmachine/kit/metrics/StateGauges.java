package io.contentmachine.kit.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Gauges of the rows of a table by state: {@code NAME{TAGS, state}} (how many) and {@code NAME_oldest_age_seconds{TAGS,
 * state}} (how long the oldest has been in that state). A scrape never waits for the database: the service samples
 * with {@link #sample()} on a timer (every 15 s is plenty) and the gauges show the last sample. The query returns one
 * row per state: (state text, count, age in seconds of the oldest); a state with no row reads 0.
 */
public final class StateGauges {

    private final String sql;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ages = new ConcurrentHashMap<>();

    public StateGauges(MeterRegistry registry, String name, Tags tags, List<String> states, String sql) {
        this(registry, name, tags, "state", states, sql);
    }

    /** The same, with the rows told apart by another tag than {@code state} (e.g. {@code platform}). */
    public StateGauges(MeterRegistry registry, String name, Tags tags, String key, List<String> states, String sql) {
        this.sql = sql;
        for (String state : states) {
            AtomicLong count = new AtomicLong();
            AtomicLong age = new AtomicLong();
            counts.put(state, count);
            ages.put(state, age);
            Gauge.builder(name, count, AtomicLong::get).tags(tags).tag(key, state).register(registry);
            Gauge.builder(name + ".oldest.age", age, AtomicLong::get).baseUnit("seconds").tags(tags).tag(key, state)
                    .register(registry);
        }
    }

    /** Runs the query in a session of its own and updates the gauges. */
    public Uni<Void> sample() {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.<Object[]>createNativeQuery(sql).getResultList()))
                .invoke(this::update)
                .replaceWithVoid();
    }

    private void update(List<Object[]> rows) {
        counts.values().forEach(count -> count.set(0));
        ages.values().forEach(age -> age.set(0));
        for (Object[] row : rows) {
            AtomicLong count = counts.get(String.valueOf(row[0]));
            if (count != null) {
                count.set(((Number) row[1]).longValue());
                ages.get(String.valueOf(row[0])).set(row[2] == null ? 0 : ((Number) row[2]).longValue());
            }
        }
    }
}
