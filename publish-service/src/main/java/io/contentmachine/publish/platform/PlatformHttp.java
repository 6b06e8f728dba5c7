package io.contentmachine.publish.platform;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The blocking HTTP client of the platform publishers (JDK HttpClient, HTTP/1.1, redirects not followed: YouTube's
 * 308 means "resume incomplete", not a redirect). Request bodies stream; nothing holds a whole video.
 */
@ApplicationScoped
public class PlatformHttp {

    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(10);
    /** Token, profile and metrics calls, which carry no video. */
    public static final Duration ACCOUNT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "platform-http");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(executor)
            .build();
    private final ObjectMapper mapper;

    PlatformHttp(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Sends and reads the answer as text; an I/O failure (refused, reset, dropped) is a transient PlatformException. */
    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw PlatformException.transientFailure("connection_failed",
                    request.method() + " " + safe(request.uri()) + " failed: " + e, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PlatformException.transientFailure("interrupted", "interrupted", null, e);
        }
    }

    /** Opens a streaming GET (for the video source). */
    public HttpResponse<InputStream> stream(HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public static HttpRequest.Builder request(String url, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    }

    public HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize request body", e);
        }
    }

    public static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(query(fields));
    }

    public static String query(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The body as JSON; an empty or non-JSON body is a missing node. */
    public JsonNode body(HttpResponse<String> response) {
        String text = response.body();
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    public static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** A URL without its query (which may hold a signature or a token), for messages and logs. */
    public static String safe(URI uri) {
        String text = uri.toString();
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }
}
