package io.contentmachine.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract itself: every schema's example is valid, a broken event is not, and the AsyncAPI document names every topic. */
class ContractTest {

    static Stream<String> topics() throws IOException {
        try (Stream<Path> files = Files.list(RepositoryRoot.resolve("contract/schemas"))) {
            List<String> topics = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
            assertEquals(11, topics.size(), "one schema per topic (eight video.*, three asset.*): " + topics);
            return topics.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("topics")
    void exampleIsValid(String topic) {
        Contract.assertValid(topic, Contract.example(topic));
    }

    @ParameterizedTest
    @MethodSource("topics")
    void eventWithoutItsIdsIsRejected(String topic) {
        String broken = Contract.example(topic).replaceFirst("\"eventId\":\"[^\"]+\"", "\"eventId\":\"not-a-uuid\"")
                .replaceFirst(",?\"(projectId|assetId)\":\"[^\"]+\"", "");
        assertFalse(Contract.violations(topic, broken).isEmpty(), "schema accepted " + broken);
    }

    @ParameterizedTest
    @MethodSource("topics")
    void asyncApiDocumentsTheTopic(String topic) throws IOException {
        String asyncapi = Files.readString(RepositoryRoot.resolve("contract/asyncapi.yaml"));
        assertTrue(asyncapi.contains("address: " + topic), topic + " has no channel");
        assertTrue(asyncapi.contains("./schemas/" + topic + ".json"), topic + " payload not referenced");
    }
}
