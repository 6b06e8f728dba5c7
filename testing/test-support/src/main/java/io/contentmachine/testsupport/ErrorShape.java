package io.contentmachine.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The answers every service gives the same JSON error shape (the kit's mappers): a malformed body, an unknown field, a
 * wrong media type and a body over the size limit, each asserted as the exact JSON.
 */
public final class ErrorShape {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ErrorShape() {
    }

    /** A JSON endpoint of a service, the headers it needs (e.g. X-Internal-Token) and a valid body plus one undeclared field. */
    public record Endpoint(URI uri, Map<String, String> headers, String bodyWithUnknownField, String unknownField) {
    }

    public static void assertMalformedBody(Endpoint endpoint) {
        assertAnswer(endpoint, "application/json", "not json", 400, "{\"error\": \"Malformed JSON\", \"details\": [\"Unrecognized token"
                + " 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\"]}");
    }

    public static void assertUnknownField(Endpoint endpoint) {
        assertAnswer(endpoint, "application/json", endpoint.bodyWithUnknownField(), 400,
                "{\"error\": \"Unknown fields\", \"details\": [\"" + endpoint.unknownField() + ": not a field of this request\"]}");
    }

    public static void assertWrongMediaType(Endpoint endpoint) {
        assertAnswer(endpoint, "text/plain", "hello", 415, "{\"error\": \"Unsupported Media Type\"}");
    }

    /** Announces a body one byte over {@code maxBytes} and sends none of it: the answer must come from the header alone. */
    public static void assertBodyTooLarge(Endpoint endpoint, long maxBytes) {
        StringBuilder request = new StringBuilder("POST " + endpoint.uri().getRawPath() + " HTTP/1.1\r\n")
                .append("Host: ").append(endpoint.uri().getHost()).append(':').append(endpoint.uri().getPort()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(maxBytes + 1).append("\r\n");
        endpoint.headers().forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n{");
        try (Socket socket = new Socket(endpoint.uri().getHost(), endpoint.uri().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            assertEquals("HTTP/1.1 413", answer.substring(0, 12), answer);
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertJson("{\"error\": \"Body too large\", \"details\": [\"at most " + maxBytes + " bytes\"]}", body);
        } catch (IOException e) {
            throw new AssertionError("no answer to an oversized body", e);
        }
    }

    private static void assertAnswer(Endpoint endpoint, String contentType, String body, int status, String expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.uri()).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        endpoint.headers().forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(status, response.statusCode(), response.body());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertJson(expected, response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertJson(String expected, String actual) {
        try {
            JsonNode want = MAPPER.readTree(expected);
            JsonNode got = MAPPER.readTree(actual);
            assertEquals(want, got, "expected " + expected + " but got " + actual);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + actual, e);
        }
    }

    /** Reads until the server closes the connection or the Content-Length of the answer has arrived. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            int headersEnd = answer.indexOf("\r\n\r\n");
            if (headersEnd >= 0) {
                String headers = answer.substring(0, headersEnd).toLowerCase();
                int at = headers.indexOf("content-length:");
                if (at >= 0) {
                    int end = headers.indexOf("\r\n", at);
                    long length = Long.parseLong(headers.substring(at + 15, end < 0 ? headers.length() : end).trim());
                    if (answer.length() - headersEnd - 4 >= length) {
                        break;
                    }
                }
            }
        }
        return answer.toString();
    }
}
