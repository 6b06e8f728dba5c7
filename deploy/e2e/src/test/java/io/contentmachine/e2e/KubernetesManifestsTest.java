package io.contentmachine.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The Kubernetes manifests cannot be applied here; they are checked for what an operator relies on. */
class KubernetesManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final Path dir = Path.of(System.getProperty("cm.root", "../..")).resolve("deploy/kubernetes");

    @ParameterizedTest
    @CsvSource({"api-service,8080", "render-service,8081", "storage-service,8082", "index-service,8083", "publish-service,8084"})
    void serviceHasProbesPortsAndSecrets(String name, int port) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(dir.resolve(name + ".yaml").toFile())) {
            it.forEachRemaining(docs::add);
        }
        JsonNode deployment = docs.stream().filter(d -> "Deployment".equals(d.path("kind").asText())).findFirst().orElseThrow();
        JsonNode service = docs.stream().filter(d -> "Service".equals(d.path("kind").asText())).findFirst().orElseThrow();
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertEquals(port, container.at("/ports/0/containerPort").asInt());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        assertEquals(port, service.at("/spec/ports/0/port").asInt());
        assertEquals(name, service.at("/spec/selector/app.kubernetes.io~1name").asText());
        assertEquals("content-machine", container.at("/envFrom/0/configMapRef/name").asText());
        boolean tokenFromSecret = false;
        for (JsonNode env : container.get("env")) {
            assertTrue(!env.path("name").asText().contains("SECRET") || env.has("valueFrom"), "secret inline: " + env);
            tokenFromSecret |= "INTERNAL_TOKEN".equals(env.path("name").asText()) && env.at("/valueFrom/secretKeyRef/name").isTextual();
        }
        assertTrue(tokenFromSecret, name + " must take INTERNAL_TOKEN from the Secret");
        String kustomization = Files.readString(dir.resolve("kustomization.yaml"));
        assertTrue(kustomization.contains("- " + name + ".yaml"), name + " not in kustomization.yaml");
    }
}
