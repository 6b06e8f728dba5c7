package io.contentmachine.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The alert rules (deploy/prometheus) pass {@code promtool check rules} and their unit tests ({@code promtool test rules}:
 * each alert fires on the series that mean trouble and stays quiet on healthy ones); the Grafana dashboard's queries
 * are valid PromQL (checked by promtool as recording rules). ChainIT checks that every metric they name is exposed.
 */
class PrometheusRulesTest {

    static final Path ROOT = Path.of(System.getProperty("cm.root", "../.."));
    static final Path RULES = ROOT.resolve("deploy/prometheus/alerts.yml");
    static final Path DASHBOARD = ROOT.resolve("deploy/grafana/content-machine.json");
    private static final Pattern METRIC = Pattern.compile("\\b(contentmachine_[a-z_]+)");

    @Test
    void rulesPassPromtoolAndTheirUnitTests() throws Exception {
        promtool("check", "rules", RULES.toString());
        String tested = promtool("test", "rules", ROOT.resolve("deploy/prometheus/alerts-test.yml").toString());
        assertTrue(tested.contains("SUCCESS"), tested);
    }

    @Test
    void dashboardQueriesAreValidPromQl() throws Exception {
        List<String> queries = dashboardQueries();
        assertTrue(queries.size() >= 10, "queries: " + queries);
        ObjectMapper json = new ObjectMapper();
        ObjectNode rules = json.createObjectNode();
        ArrayNode group = rules.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
        for (int i = 0; i < queries.size(); i++) {
            // Grafana's $__rate_interval is not PromQL: a 1m window stands in for it
            group.addObject().put("record", "dashboard:query_" + i).put("expr", queries.get(i).replace("$__rate_interval", "1m"));
        }
        Path file = Files.createTempFile("dashboard-rules", ".json");
        Files.writeString(file, json.writeValueAsString(rules)); // JSON is YAML
        try {
            promtool("check", "rules", file.toString());
        } finally {
            Files.delete(file);
        }
    }

    /** Every PromQL expression of the dashboard's panels. */
    static List<String> dashboardQueries() throws IOException {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            panel.path("targets").forEach(target -> queries.add(target.path("expr").asText()));
        }
        return queries;
    }

    /** The metric names (ours, contentmachine_*) the alert rules and the dashboard use. */
    static Set<String> metricsNamed() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String text : List.of(Files.readString(RULES), String.join("\n", dashboardQueries()))) {
            Matcher m = METRIC.matcher(text);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void rulesAndDashboardNameOurMetrics() throws Exception {
        Set<String> names = metricsNamed();
        for (String expected : List.of("contentmachine_projects_oldest_age_seconds", "contentmachine_outbox_events_oldest_age_seconds",
                "contentmachine_dead_letters_total", "contentmachine_publishings_total", "contentmachine_jobs_oldest_age_seconds",
                "contentmachine_stage_seconds_bucket", "contentmachine_jobs", "contentmachine_projects")) {
            assertTrue(names.contains(expected), expected + " not in " + names);
        }
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool hung");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
