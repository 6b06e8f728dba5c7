package io.contentmachine.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * A native image keeps only what is registered for reflection, and Jackson reads and writes the generated event classes
 * reflectively (consumers, the outbox, job rows). The contract jar's META-INF/native-image/.../reflect-config.json, which
 * GraalVM reads from every jar on the classpath, must name every class generated from the schemas, nested enums
 * included; every service depends on that jar. (No GraalVM here: this checks the registration, not a native build.)
 */
class NativeReflectionTest {

    private static final Path ROOT = Path.of(System.getProperty("cm.root", "../.."));

    @Test
    void everyGeneratedEventClassIsRegistered() throws Exception {
        Set<String> registered = new TreeSet<>();
        for (JsonNode entry : new ObjectMapper().readTree(ROOT.resolve(
                "contract/src/main/resources/META-INF/native-image/io.contentmachine/contract/reflect-config.json").toFile())) {
            registered.add(entry.path("name").asText());
            assertEquals(true, entry.path("allDeclaredFields").asBoolean() && entry.path("allDeclaredMethods").asBoolean()
                    && entry.path("allDeclaredConstructors").asBoolean(), entry.toString());
        }
        Path classes = ROOT.resolve("contract/target/classes");
        Set<String> generated = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes.resolve("io/contentmachine/events"))) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f -> generated.add(
                    classes.relativize(f).toString().replace(".class", "").replace('/', '.')));
        }
        assertFalse(generated.isEmpty(), "build the contract module first");
        generated.removeAll(registered);
        assertEquals(Set.of(), generated, "event classes a native image could not read or write");
    }
}
