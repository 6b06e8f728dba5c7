package io.contentmachine.render.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.contentmachine.render.job.RenderPipeline;
import io.contentmachine.render.script.ScriptPlan;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;
import io.contentmachine.render.video.Template;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speech server client against a local OpenAI-compatible /v1/audio/speech server that really speaks: it runs
 * espeak-ng on the requested text at the requested speed and streams the WAV back (chunked). Each test picks what the
 * server answers: that WAV, the same audio as 32-bit float stereo, an error status, or bytes that are no audio.
 */
class SpeechClientTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    enum Answer { WAV, FLOAT_STEREO, ERROR, GARBAGE }

    @TempDir
    Path work;

    private HttpServer server;
    private volatile Answer answer = Answer.WAV;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> auth = new CopyOnWriteArrayList<>();
    /** Seconds of each WAV the server sent, in order. */
    private final List<Double> served = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path spoken = Files.createDirectories(work.resolve("server"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/audio/speech", exchange -> {
            try {
                JsonNode request = MAPPER.readTree(exchange.getRequestBody());
                requests.add(request);
                auth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                if (answer == Answer.ERROR) {
                    byte[] body = "{\"error\":{\"message\":\"model not loaded\"}}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(503, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                Path text = Files.writeString(spoken.resolve("in.txt"), request.get("input").asText(), StandardCharsets.UTF_8);
                Path wav = spoken.resolve("out.wav");
                int wpm = (int) Math.round(170 * request.get("speed").asDouble());
                run("espeak-ng", "-v", "en-us+f3", "-s", String.valueOf(wpm), "-f", text.toString(), "-w", wav.toString());
                served.add(Wav.read(wav).seconds());
                Path body = wav;
                if (answer == Answer.FLOAT_STEREO) {
                    body = spoken.resolve("float.wav");
                    run("ffmpeg", "-v", "error", "-y", "-i", wav.toString(), "-ac", "2", "-c:a", "pcm_f32le", body.toString());
                } else if (answer == Answer.GARBAGE) {
                    body = Files.writeString(spoken.resolve("garbage.bin"), "<html>not audio at all</html>".repeat(50));
                }
                exchange.getResponseHeaders().add("Content-Type", "audio/wav");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(body, out);
                }
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SpeechClient client() {
        // a trailing /v1 is accepted, as in the LLM writer's base URL
        return new SpeechClient("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/", "kokoro", "sk-speech", Duration.ofSeconds(20),
                "ffmpeg");
    }

    private static Voice heart() {
        return new VoiceCatalog(List.of("af_heart:en-US")).byId("af_heart").orElseThrow();
    }

    @Test
    void speaksThroughTheServerAndTimesTheVideoToItsAudio() throws Exception {
        RenderPipeline pipeline = RenderPipeline.local(work, "ultrafast", "cabac=1", 28, client());
        ScriptPlan plan = pipeline.script("Why octopuses have three hearts", 15);
        Template template = Template.byId("minimal").orElseThrow();
        Voice voice = heart();
        assertEquals(Voice.SPEECH_SERVER, voice.engine());

        RenderPipeline.Narration narration = pipeline.voice(plan, voice, template, 15, Files.createDirectories(work.resolve("r")),
                RenderControl.unlimited());

        assertEquals(Voice.SPEECH_SERVER, narration.engine());
        assertNull(narration.voiceFallbackReason());
        int scenes = plan.scenes().size();
        // the first pass is asked at the pace the script's word count predicts; the stub server's espeak-ng speech still
        // misses 15 s, so each scene is asked for again at the pace that fits
        assertEquals(2 * scenes, requests.size());
        double predicted = requests.get(0).get("speed").asDouble();
        assertTrue(predicted > 1.0 && predicted <= 1.3, "predicted pace " + predicted);
        for (int i = 0; i < scenes; i++) {
            JsonNode request = requests.get(i);
            assertEquals("kokoro", request.get("model").asText());
            assertEquals("af_heart", request.get("voice").asText());
            assertEquals(plan.scenes().get(i).text(), request.get("input").asText());
            assertEquals("wav", request.get("response_format").asText());
            assertEquals(predicted, request.get("speed").asDouble());
        }
        assertEquals("Bearer sk-speech", auth.get(0));
        // the server's audio, not an estimate, decides the scene durations: the last pass is what was used
        List<Double> used = served.subList(served.size() - scenes, served.size());
        for (int i = 0; i < scenes - 1; i++) {
            assertEquals(used.get(i) + 0.3, narration.sceneSeconds().get(i), 0.001, "scene " + (i + 1));
        }
        double audio = Wav.read(narration.audio()).seconds();
        assertEquals(used.stream().mapToDouble(Double::doubleValue).sum() + 0.3 * scenes, audio, 0.01);
        assertEquals(15, narration.videoSeconds(), 1.5);
        assertTrue(narration.words().get(0).start() >= 0 && narration.words().get(0).end() <= narration.sceneSeconds().get(0));
        assertEquals(RenderPipeline.TIMING_ESTIMATED, narration.captionTiming(), "a speech server gives no word times");
        assertTrue(Math.abs(narration.pace() - 1.0) > 0.04, "pace " + narration.pace());
        for (int i = scenes; i < 2 * scenes; i++) {
            assertEquals(narration.pace(), requests.get(i).get("speed").asDouble(), 0.001);
            assertEquals(plan.scenes().get(i - scenes).text(), requests.get(i).get("input").asText());
        }
    }

    @Test
    void audioInAnotherFormatIsConverted() throws Exception {
        answer = Answer.FLOAT_STEREO;
        Path dir = Files.createDirectories(work.resolve("f"));
        Wav wav = client().speak("Bees dance to tell each other where the flowers are.", heart(), 1.0, dir, "scene-1",
                RenderControl.unlimited());
        assertEquals(served.get(0), wav.seconds(), 0.01);
        assertTrue(wav.speechSpans(0.2).size() >= 1, "speech is audible after conversion");
        assertTrue(Files.notExists(dir.resolve("scene-1.speech")), "the raw answer is removed");
    }

    @Test
    void serverErrorFallsBackToEspeakAndSaysWhy() throws Exception {
        answer = Answer.ERROR;
        RenderPipeline pipeline = RenderPipeline.local(work, "ultrafast", "cabac=1", 28, client());
        ScriptPlan plan = pipeline.script("Why octopuses have three hearts", 15);
        RenderPipeline.Narration narration = pipeline.voice(plan, heart(), Template.byId("news").orElseThrow(), 15,
                Files.createDirectories(work.resolve("e")), RenderControl.unlimited());
        assertEquals(Voice.ESPEAK, narration.engine());
        assertTrue(narration.voiceFallbackReason().contains("503") && narration.voiceFallbackReason().contains("model not loaded"),
                narration.voiceFallbackReason());
        assertEquals(1, requests.size(), "the first failure ends the server's part");
        assertEquals(15, narration.videoSeconds(), 1.5);
        assertTrue(Wav.read(narration.audio()).seconds() > 10, "espeak-ng spoke the whole script");

        RenderException direct = assertThrows(RenderException.class, () -> client().speak("Hello.", heart(), 1.0, work, "x",
                RenderControl.unlimited()));
        assertEquals("voice", direct.stage());
    }

    @Test
    void answerThatIsNoAudioFallsBackToo() throws Exception {
        answer = Answer.GARBAGE;
        RenderPipeline pipeline = RenderPipeline.local(work, "ultrafast", "cabac=1", 28, client());
        ScriptPlan plan = pipeline.script("Bees", 15);
        RenderPipeline.Narration narration = pipeline.voice(plan, heart(), Template.byId("news").orElseThrow(), 15,
                Files.createDirectories(work.resolve("g")), RenderControl.unlimited());
        assertEquals(Voice.ESPEAK, narration.engine());
        assertTrue(narration.voiceFallbackReason().startsWith("ffmpeg exited"), narration.voiceFallbackReason());
    }

    @Test
    void unreachableServerFallsBackButACancelledRenderStops() throws Exception {
        server.stop(0);
        RenderPipeline pipeline = RenderPipeline.local(work, "ultrafast", "cabac=1", 28, client());
        ScriptPlan plan = pipeline.script("Bees", 15);
        RenderPipeline.Narration narration = pipeline.voice(plan, heart(), Template.byId("news").orElseThrow(), 15,
                Files.createDirectories(work.resolve("u")), RenderControl.unlimited());
        assertEquals(Voice.ESPEAK, narration.engine());
        assertTrue(narration.voiceFallbackReason().contains("ConnectException"), narration.voiceFallbackReason());

        RenderControl cancelled = RenderControl.unlimited();
        cancelled.cancel("project deleted");
        assertThrows(RenderControl.RenderCancelledException.class, () -> pipeline.voice(plan, heart(), Template.byId("news").orElseThrow(),
                15, Files.createDirectories(work.resolve("c")), cancelled));
    }

    @Test
    void catalogMergesServerVoicesWithEspeakFallbacks() {
        VoiceCatalog catalog = new VoiceCatalog(List.of("af_heart:en-US", "bf_alice:en-GB", "jf_alpha:ja"));
        assertEquals(new Voice("af_heart", "en-US", Voice.SPEECH_SERVER, "en-us+f3"), catalog.byId("af_heart").orElseThrow());
        assertEquals(new Voice("bf_alice", "en-GB", Voice.SPEECH_SERVER, "en-gb+f3"), catalog.byId("bf_alice").orElseThrow());
        assertEquals("ja", catalog.byId("jf_alpha").orElseThrow().espeakVoice());
        assertEquals(Voice.ESPEAK, catalog.byId("fr").orElseThrow().engine());
        assertEquals(Voice.ALL.size() + 2, catalog.all().size());
        assertEquals(Voice.ALL, new VoiceCatalog(List.of()).all());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new VoiceCatalog(List.of("af_heart")));
        assertTrue(bad.getMessage().contains("render.speech.voices"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VoiceCatalog(List.of("af_heart:en US")));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
