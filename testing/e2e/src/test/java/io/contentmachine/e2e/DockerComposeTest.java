package io.contentmachine.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot run here (no Docker engine), so it is validated offline: docker-compose resolves and checks it
 * against the Compose schema, and the resolved file is checked for what the system needs.
 */
class DockerComposeTest {

    private static final List<String> SERVICES = List.of("api-service", "render-service", "storage-service", "index-service",
            "publish-service");
    private static JsonNode services;

    @BeforeAll
    static void resolve() throws Exception {
        Path root = Path.of(System.getProperty("cm.root", "../.."));
        Process process = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config").directory(root.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes());
        assertEquals(0, process.waitFor(), "docker-compose config rejected docker-compose.yml: " + err);
        services = new ObjectMapper(new YAMLFactory()).readTree(out).get("services");
    }

    @Test
    void everyComponentIsThere() {
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        for (String expected : List.of("postgres", "kafka", "kafka-topics", "minio", "qdrant", "platform-sandbox", "prometheus")) {
            assertTrue(names.contains(expected), expected + " missing from " + names);
        }
        assertTrue(names.containsAll(SERVICES), "services missing from " + names);
        assertTrue(services.get("postgres").get("image").asText().startsWith("postgres:16"));
    }

    @Test
    void everyServiceIsBuiltHereHealthCheckedAndConfiguredTheSameWay() {
        for (String name : SERVICES) {
            JsonNode service = services.get(name);
            assertEquals(name, service.at("/build/args/MODULE").asText(), name + " build module");
            String health = service.at("/healthcheck/test").toString();
            assertTrue(health.contains("/q/health/ready"), name + " healthcheck: " + health);
            JsonNode env = service.get("environment");
            for (String key : List.of("KAFKA_BOOTSTRAP_SERVERS", "INTERNAL_TOKEN", "DB_HOST", "DB_NAME")) {
                assertTrue(env.has(key), name + " lacks " + key);
            }
            assertEquals("kafka:9092", env.get("KAFKA_BOOTSTRAP_SERVERS").asText());
            assertTrue(service.at("/depends_on/kafka-topics").isObject(), name + " must wait for the topics");
        }
    }

    @Test
    void prometheusScrapesEveryServiceWithTheAlertRules() throws Exception {
        String volumes = services.at("/prometheus/volumes").toString();
        assertTrue(volumes.contains("deploy/prometheus/alerts.yml"), volumes);
        assertTrue(volumes.contains("deploy/prometheus/prometheus-compose.yml"), volumes);
        Path root = Path.of(System.getProperty("cm.root", "../.."));
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(root.resolve("deploy/prometheus/prometheus-compose.yml").toFile());
        Set<String> targets = new TreeSet<>();
        for (JsonNode job : config.get("scrape_configs")) {
            assertEquals("/q/metrics", job.get("metrics_path").asText());
            targets.add(job.at("/static_configs/0/targets/0").asText());
        }
        assertEquals(Set.of("api-service:8080", "render-service:8081", "storage-service:8082", "index-service:8083",
                "publish-service:8084"), targets);
        assertEquals("/etc/prometheus/alerts.yml", config.at("/rule_files/0").asText());
    }

    @Test
    void productionBackendsAreWired() {
        assertEquals("qdrant", services.at("/index-service/environment/INDEX_STORE").asText());
        assertEquals("http://minio:9000", services.at("/storage-service/environment/STORAGE_S3_ENDPOINT").asText());
        assertTrue(services.at("/render-service/build/args/PACKAGES").asText().contains("ffmpeg"));
        assertTrue(services.at("/render-service/build/args/PACKAGES").asText().contains("espeak-ng"));
        String topics = services.at("/kafka-topics/command").toString();
        for (String topic : List.of("video.requested", "video.rendered", "video.stored", "video.published", "video.failed",
                "video.progress", "video.metrics", "video.deleted")) {
            assertTrue(topics.contains(topic), "topic " + topic + " not created");
        }
        assertTrue(topics.contains("--partitions 6"));
    }
}
