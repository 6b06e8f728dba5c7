package io.contentmachine.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the features deploy/kubernetes uses and no more:
 * {@code resources} (files and directories), {@code components}, {@code configMapGenerator} literals, {@code labels}
 * (metadata only), {@code replicas}, and strategic-merge {@code patches} (by kind and name; lists of objects merged by
 * their {@code name}, other lists replaced, {@code null} removes a field, {@code $patch: delete} removes the object).
 * No kustomize binary can be installed on a fresh machine here (Debian's kubectl is 1.20, whose kustomize is v2), so the
 * tests render with this and, where a kubectl with kustomize v5 exists, check that both give the same objects.
 */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {
    }

    /** The objects {@code dir}'s kustomization.yaml produces. */
    static List<ObjectNode> build(Path dir) throws IOException {
        JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : k.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            objects.addAll(Files.isDirectory(path) ? build(path) : read(path));
        }
        for (JsonNode component : k.path("components")) {
            Path path = dir.resolve(component.asText()).normalize();
            JsonNode c = YAML.readTree(path.resolve("kustomization.yaml").toFile());
            if (!"Component".equals(c.path("kind").asText())) {
                throw new IllegalArgumentException(path + " is not a Component");
            }
            for (JsonNode resource : c.path("resources")) {
                objects.addAll(read(path.resolve(resource.asText())));
            }
            patch(objects, path, c);
        }
        for (JsonNode generator : k.path("configMapGenerator")) {
            ObjectNode map = JsonNodeFactory.instance.objectNode();
            map.put("apiVersion", "v1").put("kind", "ConfigMap").putObject("metadata").put("name", generator.path("name").asText());
            ObjectNode data = map.putObject("data");
            for (JsonNode literal : generator.path("literals")) {
                String[] kv = literal.asText().split("=", 2);
                data.put(kv[0], kv[1]);
            }
            objects.add(map);
        }
        for (JsonNode labels : k.path("labels")) {
            for (ObjectNode object : objects) {
                ObjectNode metadata = (ObjectNode) object.get("metadata");
                ObjectNode target = metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
                target.setAll((ObjectNode) labels.get("pairs"));
            }
        }
        for (JsonNode replicas : k.path("replicas")) {
            ObjectNode deployment = find(objects, "Deployment", replicas.path("name").asText());
            ((ObjectNode) deployment.get("spec")).put("replicas", replicas.path("count").asInt());
        }
        patch(objects, dir, k);
        return objects;
    }

    private static void patch(List<ObjectNode> objects, Path dir, JsonNode kustomization) throws IOException {
        for (JsonNode entry : kustomization.path("patches")) {
            List<ObjectNode> patches = entry.has("path") ? read(dir.resolve(entry.get("path").asText()))
                    : List.of((ObjectNode) YAML.readTree(entry.path("patch").asText()));
            for (ObjectNode patch : patches) {
                ObjectNode target = find(objects, patch.path("kind").asText(), patch.at("/metadata/name").asText());
                if ("delete".equals(patch.path("$patch").asText())) {
                    objects.remove(target);
                } else {
                    merge(target, patch);
                }
            }
        }
    }

    private static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.at("/metadata/name").asText()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no " + kind + " " + name + " to patch"));
    }

    private static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode old = target.get(field.getKey());
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (old instanceof ObjectNode o && value instanceof ObjectNode p) {
                merge(o, p);
            } else if (old instanceof ArrayNode o && value instanceof ArrayNode p && byName(o) && byName(p)) {
                for (JsonNode item : p) {
                    JsonNode same = null;
                    for (JsonNode existing : o) {
                        same = existing.path("name").equals(item.path("name")) ? existing : same;
                    }
                    if (same == null) {
                        o.add(item);
                    } else {
                        merge((ObjectNode) same, (ObjectNode) item);
                    }
                }
            } else {
                target.set(field.getKey(), value);
            }
        }
    }

    private static boolean byName(ArrayNode list) {
        for (JsonNode item : list) {
            if (!item.isObject() || !item.has("name")) {
                return false;
            }
        }
        return true;
    }

    /** The objects of a multi-document YAML file (empty documents skipped). */
    static List<ObjectNode> read(Path file) throws IOException {
        List<ObjectNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc instanceof ObjectNode object && object.size() > 0) {
                    docs.add(object);
                }
            }
        }
        return docs;
    }
}
