package io.contentmachine.render.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.contentmachine.render.script.ScriptPlan;
import io.contentmachine.render.video.PexelsClient;
import io.contentmachine.render.video.PexelsVisuals;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.Template;
import io.contentmachine.render.video.VisualSource;
import io.contentmachine.render.voice.Voice;
import io.contentmachine.testsupport.PlatformSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders with stock footage from the platform sandbox's Pexels stand-in (its protocol: testing/platform-sandbox
 * PexelsProtocolTest): a video made of Pexels clips and photos credits each one (creator and page) in its scenes'
 * provenance, passes the quality gate and its cuts hold when measured on the file; the 4K files are never fetched. A
 * 429 or a refused key makes the render fall back to the generated style and say why.
 */
class PexelsFootageTest {

    static final String KEY = "sandbox-pexels-key";

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();
    private String sandbox;

    @BeforeEach
    void reset() throws Exception {
        sandbox = PlatformSandbox.shared().url();
        // no armed faults, no downloads, fresh rate-limit counts
        for (String path : List.of("/sandbox/faults", "/sandbox/uploads")) {
            http.send(HttpRequest.newBuilder(URI.create(sandbox + path)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    @Test
    void footageFromPexelsIsCreditedCutsOftenAndPassesTheGate() throws Exception {
        RenderPipeline pipeline = RenderPipeline.withPexels(work, "ultrafast", 26, client(KEY));
        Path dir = Files.createDirectories(work.resolve("stock"));
        Template template = Template.byId("tiktok-bold").orElseThrow();
        ScriptPlan plan = pipeline.script("Why octopuses have three hearts", 15, "en-US");
        RenderPipeline.Narration narration = pipeline.voice(plan, Voice.byId("af_heart").orElseThrow(), template, 15, dir,
                RenderControl.unlimited());
        RenderPipeline.Rendered rendered = pipeline.render(plan, narration, template, 15, dir, RenderControl.unlimited());
        RenderPipelineTest.keep(rendered.video(), "pexels-stock.mp4");

        List<VisualSource.SceneVisual> visuals = rendered.visuals();
        List<VisualSource.SceneVisual> stock = visuals.stream().filter(v -> v.source().equals(PexelsVisuals.NAME)).toList();
        assertFalse(stock.isEmpty(), "scenes with Pexels footage: " + visuals);
        for (VisualSource.SceneVisual v : stock) {
            assertFalse(v.credits().isEmpty());
            for (PexelsClient.Credit c : v.credits()) {
                assertFalse(c.creator().isBlank(), c.toString());
                assertTrue(c.pageUrl().startsWith("https://www.pexels.com/"), c.toString());
                assertTrue(c.creatorUrl().startsWith("https://www.pexels.com/@"), c.toString());
            }
            assertNull(v.fallback());
        }
        assertTrue(stock.stream().flatMap(v -> v.credits().stream()).anyMatch(c -> c.kind().equals("video")), "videos first");
        // a scene whose nouns the library does not have is drawn, and says so
        visuals.stream().filter(v -> !v.source().equals(PexelsVisuals.NAME))
                .forEach(v -> assertEquals("pexels (no match)", v.fallback(), v.toString()));

        ShortVideoQualityTest.Measured m = ShortVideoQualityTest.measure(rendered.video(), dir);
        assertEquals(15, m.duration(), 0.6);
        ShortVideoQualityTest.assertCutsEvery3Seconds(m);
        assertEquals(-14, m.lufs(), 1.0);
        assertTrue(m.truePeak() <= -1.0, "true peak " + m.truePeak());
        assertTrue(rendered.quality().captionsOutsideSafeArea() == 0);

        String downloads = get("/sandbox/pexels/downloads");
        assertTrue(downloads.contains("/hd.mp4"), downloads);
        assertFalse(downloads.contains("uhd") || downloads.contains("original"), "never a 4K file or an original: " + downloads);
    }

    @Test
    void rateLimitAndBadKeyFallBackToTheGeneratedStyleAndSaySo() throws Exception {
        HttpResponse<String> armed = http.send(HttpRequest.newBuilder(URI.create(sandbox + "/sandbox/faults"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"platform\":\"pexels\",\"kind\":\"rate-limit\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, armed.statusCode(), armed.body());
        List<VisualSource.SceneVisual> limited = render(client(KEY), "limited");
        assertTrue(limited.stream().allMatch(v -> v.source().equals("generated")), limited.toString());
        assertTrue(limited.get(0).fallback().contains("Pexels rate limit reached (429)"), limited.get(0).fallback());
        // after the 429 Pexels is not asked again during the back-off: the other scenes say so without a request
        assertTrue(limited.get(1).fallback().contains("not asked again before"), limited.get(1).fallback());

        List<VisualSource.SceneVisual> refused = render(client("not-a-key"), "refused");
        assertTrue(refused.stream().allMatch(v -> v.source().equals("generated")), refused.toString());
        assertTrue(refused.get(0).fallback().contains("Pexels refused the API key (401)"), refused.get(0).fallback());
        assertEquals("[]", get("/sandbox/pexels/downloads").replace(" ", ""));
    }

    private List<VisualSource.SceneVisual> render(PexelsClient client, String name) throws Exception {
        RenderPipeline pipeline = RenderPipeline.withPexels(work, "ultrafast", 30, client);
        Path dir = Files.createDirectories(work.resolve(name));
        Template template = Template.byId("minimal").orElseThrow();
        ScriptPlan plan = pipeline.script("Why octopuses have three hearts", 8, "en-US");
        RenderPipeline.Narration narration = pipeline.voice(plan, Voice.byId("af_heart").orElseThrow(), template, 8, dir,
                RenderControl.unlimited());
        return pipeline.render(plan, narration, template, 8, dir, RenderControl.unlimited()).visuals();
    }

    private PexelsClient client(String key) {
        return new PexelsClient(sandbox, key, Duration.ofSeconds(30), Duration.ofMinutes(15));
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sandbox + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
