package io.contentmachine.render.voice;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.render.video.ProcessRunner;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;

/**
 * Speaks through an OpenAI-compatible speech server ({@code POST /v1/audio/speech} with model, voice, input,
 * {@code response_format: wav} and speed), e.g. Kokoro. The answer is streamed to a file in the render's folder, never
 * held in memory; a WAV that is not 16-bit mono PCM (or any other audio the server sends) is converted with ffmpeg.
 * Every failure is a {@link RenderException} of stage "voice"; the render's deadline and cancellation are honoured.
 */
public class SpeechClient implements Speaker {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final String ffmpeg;
    private final HttpClient http;

    public SpeechClient(String baseUrl, String model, String apiKey, Duration timeout, String ffmpeg) {
        this.endpoint = URI.create(baseUrl.strip().replaceAll("/+$", "").replaceAll("/v1$", "") + "/v1/audio/speech");
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.ffmpeg = ffmpeg;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Wav speak(String text, Voice voice, double pace, Path dir, String name, RenderControl control) {
        Path answer = dir.resolve(name + ".speech");
        Path wav = dir.resolve(name + ".wav");
        HttpResponse<Path> response = fetch(body(text, voice, pace), answer, control);
        if (response.statusCode() != 200) {
            throw new RenderException("voice", "speech server answered " + response.statusCode() + ": " + head(answer), true);
        }
        try {
            return audible(Wav.read(answer));
        } catch (IOException notPlainWav) {
            // another WAV flavour (float, stereo) or another format: let ffmpeg make 16-bit mono PCM of it
            ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", answer.getFileName().toString(),
                    "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav", wav.getFileName().toString()), dir, control, "voice");
            try {
                return audible(Wav.read(wav));
            } catch (IOException e) {
                throw new RenderException("voice", "speech server audio unreadable: " + e.getMessage(), true);
            }
        } finally {
            try {
                Files.deleteIfExists(answer);
            } catch (IOException ignored) {
                // the render's folder is removed as a whole afterwards
            }
        }
    }

    private static Wav audible(Wav wav) {
        if (wav.sampleRate() <= 0 || wav.seconds() < 0.05) {
            throw new RenderException("voice", "speech server sent no audio", true);
        }
        return wav;
    }

    private String body(String text, Voice voice, double pace) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("voice", voice.id());
        body.put("input", text);
        body.put("response_format", "wav");
        body.put("speed", Math.round(pace * 1000) / 1000.0);
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the request and streams the answer into {@code file}, waiting at most until the render's deadline. */
    private HttpResponse<Path> fetch(String body, Path file, RenderControl control) {
        control.throwIfStopped("voice");
        Duration left = control.timeLeft();
        if (left.toMillis() < 1) {
            throw new RenderException("voice", "render exceeded its timeout", false);
        }
        Duration limit = left.compareTo(timeout) < 0 ? left : timeout;
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(limit)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        CompletableFuture<HttpResponse<Path>> pending = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofFile(file));
        // the request's timeout ends when the headers arrive; a server that stalls while streaming the audio is cut here
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (true) {
                try {
                    return pending.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillWaiting) {
                    if (control.cancelled() || control.timeLeft().isNegative()) {
                        pending.cancel(true);
                        control.throwIfStopped("voice");
                    }
                    if (System.nanoTime() > deadline) {
                        pending.cancel(true);
                        throw new RenderException("voice", "speech server " + endpoint + " failed: no answer within "
                                + limit.toSeconds() + " s", true);
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            control.throwIfStopped("voice");
            String reason = cause instanceof java.net.http.HttpTimeoutException ? "no answer within " + limit.toSeconds() + " s"
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            throw new RenderException("voice", "speech server " + endpoint + " failed: " + reason, true);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new RenderException("voice", "interrupted", true);
        }
    }

    /** The start of an error answer, for the reason. */
    private static String head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String text = new String(in.readNBytes(300), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(empty body)" : text.replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "(no body)";
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "speech server %s (model %s)", endpoint, model);
    }
}
