package io.contentmachine.sandbox;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

import io.restassured.http.ContentType;

/** Helpers the sandbox tests share: raw HTTP (for exact headers), fault switches, test data. */
public final class SandboxClient {

    public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SandboxClient() {
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void arm(String json) {
        given().contentType(ContentType.JSON).body(json).post("/sandbox/faults").then().statusCode(201);
    }

    public static void reset() {
        given().delete("/sandbox/faults").then().statusCode(204);
        given().delete("/sandbox/uploads").then().statusCode(204);
    }

    /** Uploads bytes through the YouTube path and returns the URL the sandbox serves them back at (a video_url to pull). */
    public static String seedVideo(byte[] bytes) {
        String session = given().header("Authorization", "Bearer sandbox-token").header("X-Upload-Content-Length", bytes.length)
                .header("X-Upload-Content-Type", "video/mp4").contentType(ContentType.JSON)
                .body("{\"snippet\":{\"title\":\"seed\"},\"status\":{\"privacyStatus\":\"private\",\"selfDeclaredMadeForKids\":false}}")
                .post("/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status").then().statusCode(200)
                .extract().header("Location");
        HttpResponse<String> done = send(request(session).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        if (done.statusCode() != 200) {
            throw new IllegalStateException("seed upload failed: " + done.statusCode() + " " + done.body());
        }
        String id = io.restassured.path.json.JsonPath.from(done.body()).getString("id");
        return session.substring(0, session.indexOf("/upload/")) + "/sandbox/uploads/" + id + "/content";
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url));
    }
}
