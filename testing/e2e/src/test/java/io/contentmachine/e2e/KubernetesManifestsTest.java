package io.contentmachine.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests cannot be applied here. Each overlay is rendered ({@link Kustomize}), every object is parsed into
 * the Kubernetes API's own types (fabric8's kubernetes-model, generated from the API's OpenAPI schemas) and refused if
 * any field is unknown to that schema or of the wrong type; then checked for what an operator relies on.
 */
class KubernetesManifestsTest {

    private static final List<String> SERVICES = List.of("api-service", "render-service", "storage-service", "index-service",
            "publish-service");
    private static final Map<String, Integer> PORTS = Map.of("api-service", 8080, "render-service", 8081, "storage-service", 8082,
            "index-service", 8083, "publish-service", 8084);
    private static final Map<String, Class<?>> TYPES = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    private static final Path ROOT = Path.of(System.getProperty("cm.root", "../.."));
    private static final Path DIR = ROOT.resolve("deploy/kubernetes");

    /** One rendered overlay, its objects parsed into the API types. */
    private record Rendered(List<ObjectNode> raw, Map<String, Object> typed) {

        <T> List<T> all(Class<T> type) {
            return typed.values().stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T> T one(Class<T> type, String name) {
            Object found = typed.get(type.getSimpleName() + "/" + name);
            assertNotNull(found, type.getSimpleName() + " " + name + " missing");
            return type.cast(found);
        }
    }

    private static Rendered render(String overlay) throws Exception {
        List<ObjectNode> raw = Kustomize.build(DIR.resolve("overlays").resolve(overlay));
        Map<String, Object> typed = new TreeMap<>();
        for (ObjectNode object : raw) {
            String kind = object.path("kind").asText();
            String name = object.at("/metadata/name").asText();
            Class<?> type = TYPES.get(object.path("apiVersion").asText() + "/" + kind);
            if ("keda.sh/v1alpha1".equals(object.path("apiVersion").asText())) {
                continue; // a custom resource: no type in kubernetes-model, checked by kedaScalesOnTheBacklog
            }
            assertNotNull(type, overlay + ": unexpected " + object.path("apiVersion").asText() + " " + kind + " " + name);
            Object parsed = Kustomize.YAML.treeToValue(object, type);
            List<String> unknown = new ArrayList<>();
            unknownFields(parsed, kind + " " + name, unknown);
            assertEquals(List.of(), unknown, overlay + ": fields the Kubernetes API does not have");
            assertEquals(null, typed.put(type.getSimpleName() + "/" + name, parsed), "two " + kind + "s named " + name);
        }
        return new Rendered(raw, typed);
    }

    /** Fields the schema does not know land in fabric8's additionalProperties: any there is a typo or a misplaced field. */
    private static void unknownFields(Object value, String path, List<String> unknown) throws ReflectiveOperationException {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), unknown);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", unknown);
            }
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            for (Method getter : value.getClass().getMethods()) {
                if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                    continue;
                }
                Object field;
                try {
                    field = getter.invoke(value);
                } catch (InvocationTargetException e) {
                    continue;
                }
                if ("getAdditionalProperties".equals(getter.getName())) {
                    if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(field, path + "." + getter.getName().substring(3), unknown);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "production-keda"})
    void everyServiceHasProbesPortsSecretsResourcesAndAGracefulStop(String overlay) throws Exception {
        Rendered r = render(overlay);
        ConfigMap config = r.one(ConfigMap.class, "content-machine");
        long shutdown = Duration.parse("PT" + config.getData().get("QUARKUS_SHUTDOWN_TIMEOUT").toUpperCase()).toSeconds();
        for (String name : SERVICES) {
            Deployment deployment = r.one(Deployment.class, name);
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            int port = PORTS.get(name);
            assertEquals(port, container.getPorts().get(0).getContainerPort());
            assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
            assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
            assertEquals("/q/health/started", container.getStartupProbe().getHttpGet().getPath());
            Service service = r.one(Service.class, name);
            assertEquals(port, service.getSpec().getPorts().get(0).getPort());
            assertEquals(name, service.getSpec().getSelector().get("app.kubernetes.io/name"));
            assertEquals("content-machine", container.getEnvFrom().get(0).getConfigMapRef().getName());
            assertTrue(container.getEnv().stream().anyMatch(e -> "INTERNAL_TOKEN".equals(e.getName())
                    && e.getValueFrom().getSecretKeyRef().getName().equals("content-machine")), name + ": INTERNAL_TOKEN from the Secret");
            container.getEnv().stream().filter(e -> e.getName().contains("SECRET") || e.getName().contains("PASSWORD"))
                    .forEach(e -> assertNotNull(e.getValueFrom(), name + ": " + e.getName() + " inline"));
            Map<String, Quantity> requests = container.getResources().getRequests();
            assertTrue(requests.containsKey("cpu") && requests.containsKey("memory"), name + " requests " + requests);
            assertTrue(container.getResources().getLimits().containsKey("memory"), name + " has no memory limit");
            assertEquals(List.of("sleep", "5"), container.getLifecycle().getPreStop().getExec().getCommand(), name + " preStop");
            long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
            assertTrue(grace > 5 + shutdown, name + ": grace " + grace + " s must outlast preStop + " + shutdown + " s of shutdown");
            assertEquals("content-machine", deployment.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
        }
        // render-service: whole CPUs; a render's upload (seconds) and the worker's stop fit in its grace period
        Container render = r.one(Deployment.class, "render-service").getSpec().getTemplate().getSpec().getContainers().get(0);
        Quantity cpu = render.getResources().getRequests().get("cpu");
        assertTrue(cpu.getNumericalAmount().stripTrailingZeros().scale() <= 0, "render-service requests whole CPUs, not " + cpu);
        assertTrue(render.getEnv().stream().anyMatch(e -> "RENDER_CONCURRENCY".equals(e.getName()) && "1".equals(e.getValue())));
        assertTrue(r.one(Deployment.class, "render-service").getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() >= 120);
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "production-keda"})
    void everyServiceHasADisruptionBudget(String overlay) throws Exception {
        Rendered r = render(overlay);
        for (String name : SERVICES) {
            PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, name);
            assertEquals(name, pdb.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/name"));
            Integer replicas = r.one(Deployment.class, name).getSpec().getReplicas();
            // a budget that allows no disruption at all would block every node drain
            assertTrue(pdb.getSpec().getMaxUnavailable() != null && pdb.getSpec().getMaxUnavailable().getIntVal() >= 1,
                    name + ": maxUnavailable " + pdb.getSpec().getMaxUnavailable() + " with " + replicas + " replicas");
        }
    }

    /** Who calls whom, read from each service's REST client settings (quarkus.rest-client.NAME.url, main profile). */
    static Map<String, Set<String>> callGraph() throws IOException {
        Pattern client = Pattern.compile("^quarkus\\.rest-client\\.([a-z-]+)\\.url=", Pattern.MULTILINE);
        Map<String, Set<String>> calls = new HashMap<>();
        for (String name : SERVICES) {
            Matcher m = client.matcher(Files.readString(ROOT.resolve(name).resolve("src/main/resources/application.properties")));
            Set<String> callees = new TreeSet<>();
            while (m.find()) {
                callees.add(m.group(1));
            }
            calls.put(name, callees);
        }
        return calls;
    }

    private static Set<String> podNames(List<NetworkPolicyPeer> peers) {
        return peers == null ? Set.of() : peers.stream().filter(p -> p.getNamespaceSelector() == null && p.getIpBlock() == null)
                .map(p -> p.getPodSelector().getMatchLabels().get("app.kubernetes.io/name")).collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production"})
    void networkPoliciesFollowTheCallGraph(String overlay) throws Exception {
        Rendered r = render(overlay);
        Map<String, Set<String>> calls = callGraph();
        assertEquals(Set.of("render-service", "storage-service", "index-service", "publish-service"), calls.get("api-service"));
        for (String name : SERVICES) {
            NetworkPolicy policy = r.one(NetworkPolicy.class, name);
            assertEquals(name, policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
            assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
            Set<String> callers = new TreeSet<>();
            boolean open = false;
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                open |= rule.getFrom() == null || rule.getFrom().isEmpty();
                callers.addAll(podNames(rule.getFrom()));
            }
            Set<String> expectedCallers = SERVICES.stream().filter(c -> calls.get(c).contains(name))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expectedCallers, callers, name + " takes traffic from exactly its callers");
            assertEquals("api-service".equals(name), open, name + ": only the gateway takes outside traffic");
            Set<String> reached = new TreeSet<>();
            boolean internet = false;
            for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
                reached.addAll(podNames(rule.getTo()));
                internet |= rule.getTo() != null && rule.getTo().stream().anyMatch(p -> p.getIpBlock() != null
                        && "0.0.0.0/0".equals(p.getIpBlock().getCidr()));
            }
            Set<String> services = new TreeSet<>(reached);
            services.retainAll(SERVICES);
            assertEquals(calls.get(name), services, name + " reaches exactly the services it calls");
            assertTrue(reached.contains("kafka"), name + " reaches Kafka");
            assertEquals(!"index-service".equals(name), reached.contains("postgres"), name + " and PostgreSQL");
            assertEquals("index-service".equals(name), reached.contains("qdrant"), name + " and Qdrant");
            assertEquals(Set.of("render-service", "publish-service").contains(name), internet, name + " and the internet");
        }
        Ingress ingress = r.one(Ingress.class, "api-service");
        assertEquals(1, r.all(Ingress.class).size(), "an Ingress for the gateway only");
        assertEquals("api-service", ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "production-keda"})
    void renderServiceScalesAsTheOverlaySays(String overlay) throws Exception {
        Rendered r = render(overlay);
        List<HorizontalPodAutoscaler> hpas = r.all(HorizontalPodAutoscaler.class);
        List<ObjectNode> scaledObjects = r.raw().stream().filter(o -> "ScaledObject".equals(o.path("kind").asText())).toList();
        assertEquals("production".equals(overlay) ? 1 : 0, hpas.size(), overlay + " HPAs");
        assertEquals("production-keda".equals(overlay) ? 1 : 0, scaledObjects.size(), overlay + " ScaledObjects");
        if (!hpas.isEmpty()) {
            HorizontalPodAutoscaler hpa = hpas.get(0);
            assertEquals("render-service", hpa.getSpec().getScaleTargetRef().getName());
            assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
            assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
            assertTrue(hpa.getSpec().getMinReplicas() >= 2);
        }
        if (!"small".equals(overlay)) {
            // an autoscaler owns render-service's replicas: the Deployment must not set them (each apply would reset them)
            assertEquals(null, r.one(Deployment.class, "render-service").getSpec().getReplicas());
            assertTrue(r.one(Deployment.class, "api-service").getSpec().getReplicas() >= 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"production-keda"})
    void kedaScalesOnTheBacklog(String overlay) throws Exception {
        Rendered r = render(overlay);
        JsonNode scaled = r.raw().stream().filter(o -> "ScaledObject".equals(o.path("kind").asText())).findFirst().orElseThrow();
        assertEquals("render-service", scaled.at("/spec/scaleTargetRef/name").asText());
        assertTrue(scaled.at("/spec/minReplicaCount").asInt() >= 1, "the gateway reads render-service's catalog: never zero");
        JsonNode trigger = scaled.at("/spec/triggers/0");
        assertEquals("postgresql", trigger.path("type").asText());
        for (String key : List.of("host", "port", "userName", "dbName", "sslmode", "passwordFromEnv", "query", "targetQueryValue")) {
            assertTrue(trigger.path("metadata").path(key).isTextual(), "KEDA's postgresql trigger needs metadata." + key + " as a string");
        }
        String password = trigger.at("/metadata/passwordFromEnv").asText();
        Container render = r.one(Deployment.class, "render-service").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(render.getEnv().stream().anyMatch(e -> password.equals(e.getName())), "passwordFromEnv names render-service's env");
        ConfigMap config = r.one(ConfigMap.class, "content-machine");
        assertEquals(config.getData().get("DB_NAME"), trigger.at("/metadata/dbName").asText());
        assertEquals(config.getData().get("DB_USER"), trigger.at("/metadata/userName").asText());
        assertEquals(config.getData().get("DB_HOST"), trigger.at("/metadata/host").asText());
        // the query itself runs against the migrated schema in FlywayConcurrentMigrationTest
    }

    /** Where a kubectl with kustomize v5 is installed, it must render the same objects as {@link Kustomize}. */
    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "production-keda"})
    void kustomizeRendersTheSame(String overlay) throws Exception {
        Process version;
        try {
            version = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no kubectl here");
            return;
        }
        String v = new String(version.getInputStream().readAllBytes());
        version.waitFor(30, TimeUnit.SECONDS);
        Assumptions.assumeTrue(v.contains("Kustomize Version: v5"), "kubectl without kustomize v5: " + v);
        Process build = new ProcessBuilder("kubectl", "kustomize", DIR.resolve("overlays").resolve(overlay).toString()).start();
        byte[] out = build.getInputStream().readAllBytes();
        String err = new String(build.getErrorStream().readAllBytes());
        assertEquals(0, build.waitFor(), err);
        Path file = Files.createTempFile("kustomize", ".yaml");
        Files.write(file, out);
        assertEquals(byKindAndName(Kustomize.read(file)), byKindAndName(Kustomize.build(DIR.resolve("overlays").resolve(overlay))));
        Files.delete(file);
    }

    private static Map<String, JsonNode> byKindAndName(List<ObjectNode> objects) {
        Map<String, JsonNode> map = new TreeMap<>();
        objects.forEach(o -> map.put(o.path("kind").asText() + "/" + o.at("/metadata/name").asText(), o));
        assertFalse(map.isEmpty());
        return map;
    }
}
