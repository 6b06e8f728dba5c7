package io.contentmachine.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.function.ToIntBiFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 standing in for an owner's webhook endpoint. Each path answers as its script says: a
 * status code, or {@link #HANG} for no answer at all (200 by default). Every request is recorded, with the code it got.
 */
final class WebhookReceiver implements AutoCloseable {

    static final int HANG = -1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Received(String path, String eventId, String signature, String body, int answered) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Whether the signature header holds a valid v1= for this secret over "t.body". */
        boolean signedWith(String secret) {
            String t = null;
            for (String part : signature.split(",")) {
                if (part.startsWith("t=")) {
                    t = part.substring(2);
                }
            }
            String expected = hmac(secret, t + "." + body);
            for (String part : signature.split(",")) {
                if (part.equals("v1=" + expected)) {
                    return true;
                }
            }
            return false;
        }

        long v1Count() {
            return List.of(signature.split(",")).stream().filter(p -> p.startsWith("v1=")).count();
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final Map<String, ToIntBiFunction<Integer, String>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    WebhookReceiver() throws Exception {
        server = vertx.createHttpServer()
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(request -> request.body().onSuccess(body -> {
                    String path = request.path();
                    int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                    String text = body.toString(StandardCharsets.UTF_8);
                    int status = scripts.getOrDefault(path, (i, b) -> 200).applyAsInt(n, text);
                    received.add(new Received(path, request.getHeader("Webhook-Id"), request.getHeader("Webhook-Signature"), text,
                            status));
                    if (status != HANG) {
                        request.response().setStatusCode(status).end(status >= 300 ? "receiver says " + status : "ok");
                    }
                }))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The base URL, e.g. http://127.0.0.1:PORT */
    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    int port() {
        return server.actualPort();
    }

    /** Answers the n-th request to the path (1-based) with answers(n). */
    void script(String path, IntUnaryOperator answers) {
        scripts.put(path, (n, body) -> answers.applyAsInt(n));
    }

    /** Answers each request to the path as answers(n, body) says. */
    void script(String path, ToIntBiFunction<Integer, String> answers) {
        scripts.put(path, answers);
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    static String hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            StringBuilder hex = new StringBuilder();
            for (byte b : mac.doFinal(message.getBytes(StandardCharsets.UTF_8))) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
