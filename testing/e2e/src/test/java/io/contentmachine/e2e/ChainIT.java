package io.contentmachine.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.contentmachine.testsupport.Chromium;
import io.contentmachine.testsupport.OtlpReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole chain on the real local stack: a topic goes in at the gateway, a real MP4 comes out, is stored, indexed and
 * published to the platform sandbox's YouTube; the downloaded file is checked with ffprobe.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChainIT {

    private static final int LENGTH_SECONDS = 30;
    private static final Stack STACK = new Stack();
    private static final List<String> PIPELINE_TOPICS = List.of("video.requested", "video.rendered", "video.stored");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void up() throws Exception {
        STACK.up();
    }

    @AfterAll
    static void down() throws Exception {
        STACK.down();
    }

    @Test
    @Order(1)
    void topicBecomesAPublishedPlayableVideo() throws Exception {
        String key = STACK.adminKey();
        long start = System.nanoTime();
        String request = JSON.writeValueAsString(Map.of("topic", "How honeybees vote on a new home",
                "config", Map.of("length", LENGTH_SECONDS, "publish", Map.of("platforms", List.of("youtube")))));
        // the frontend's trace: the gateway continues it
        String callerTrace = UUID.randomUUID().toString().replace("-", "");
        String callerSpan = callerTrace.substring(0, 16);
        JsonNode created = call("POST", STACK.gateway() + "/api/videos", key, request, 201, "traceparent",
                "00-" + callerTrace + "-" + callerSpan + "-01");
        String projectId = created.get("projectId").asText();

        Duration toStored = null;
        JsonNode project = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        while (System.nanoTime() < deadline) {
            project = call("GET", STACK.gateway() + "/api/videos/" + projectId, key, null, 200);
            String status = project.get("status").asText();
            if (toStored == null && List.of("stored", "published").contains(status)) {
                toStored = Duration.ofNanos(System.nanoTime() - start);
            }
            if ("published".equals(status)) {
                break;
            }
            if ("failed".equals(status)) {
                fail("project failed: " + project.toPrettyString() + "\n" + STACK.logTail("render-service") + "\n"
                        + STACK.logTail("storage-service"));
            }
            Thread.sleep(1000);
        }
        Duration toPublished = Duration.ofNanos(System.nanoTime() - start);
        JsonNode last = project;
        assertEquals("published", project.get("status").asText(), () -> "not published in time: " + last.toPrettyString() + "\n"
                + STACK.logTail("publish-service"));
        System.out.printf("e2e: %d s video, POST -> stored %.1f s, POST -> published %.1f s%n",
                LENGTH_SECONDS, toStored.toMillis() / 1000.0, toPublished.toMillis() / 1000.0);
        Files.writeString(STACK.home.resolveSibling("e2e-timings.txt"), String.format("length=%ds stored=%.1fs published=%.1fs%n",
                LENGTH_SECONDS, toStored.toMillis() / 1000.0, toPublished.toMillis() / 1000.0));

        // the read model: script scenes, video facts, the publishing with the platform's own id
        assertFalse(project.get("scenes").isEmpty(), "scenes");
        assertEquals("1080x1920", project.at("/video/resolution").asText());
        assertEquals("youtube", project.at("/publishings/0/platform").asText());
        assertEquals("published", project.at("/publishings/0/status").asText());
        String platformId = project.at("/publishings/0/platformId").asText();
        assertFalse(platformId.isBlank(), "platformId");

        // the download URL is a presigned GET that yields the MP4
        String url = call("GET", STACK.gateway() + "/api/videos/" + projectId + "/download", key, null, 200).get("url").asText();
        Path mp4 = STACK.home.resolveSibling("e2e-video.mp4");
        HttpResponse<InputStream> download = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, download.statusCode());
        try (InputStream body = download.body()) {
            Files.copy(body, mp4, StandardCopyOption.REPLACE_EXISTING);
        }

        JsonNode probe = ffprobe(mp4);
        JsonNode video = stream(probe, "video");
        JsonNode audio = stream(probe, "audio");
        assertEquals("h264", video.get("codec_name").asText());
        assertEquals(1080, video.get("width").asInt());
        assertEquals(1920, video.get("height").asInt());
        assertEquals("aac", audio.get("codec_name").asText());
        double duration = probe.get("format").get("duration").asDouble();
        assertTrue(Math.abs(duration - LENGTH_SECONDS) <= LENGTH_SECONDS * 0.15, "duration " + duration + " s");

        // the sandbox received exactly these bytes, once
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(mp4)));
        JsonNode uploads = call("GET", STACK.sandbox() + "/sandbox/uploads", null, null, 200);
        long copies = 0;
        for (JsonNode upload : uploads.isArray() ? uploads : uploads.path("uploads")) {
            if (sha256.equals(upload.path("sha256").asText())) {
                copies++;
                assertEquals(platformId, upload.path("id").asText());
            }
        }
        assertEquals(1, copies, "uploads of this video at the sandbox: " + uploads);
        assertNotEquals(0, Files.size(mp4));

        assertOneTrace(projectId, callerTrace, callerSpan);
    }

    /**
     * The video's pipeline is one trace, the frontend's: the gateway's create continues it, and every service's spans for the
     * project, from the create through render, storage and indexing to video.stored and publishing, carry its trace id and
     * the project id.
     */
    private static void assertOneTrace(String projectId, String trace, String callerSpan) throws Exception {
        OtlpReceiver traces = STACK.traces();
        // the batch exporters send every 5 s
        traces.await(span -> span.traceId().equals(trace) && "storage-service".equals(span.service())
                && "video.stored".equals(topic(span)) && "SPAN_KIND_PRODUCER".equals(span.kind()), Duration.ofSeconds(30));
        traces.await(span -> span.traceId().equals(trace) && "publish-service".equals(span.service()), Duration.ofSeconds(30));
        List<OtlpReceiver.Span> spans = traces.trace(trace);
        OtlpReceiver.Span create = spans.stream().filter(span -> callerSpan.equals(span.parentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("no span continues the caller's: " + traces.summary()));
        assertEquals("api-service", create.service());
        assertEquals("SPAN_KIND_SERVER", create.kind());
        assertEquals(projectId, create.attribute("contentmachine.project.id"));
        Set<String> services = new TreeSet<>();
        spans.forEach(span -> services.add(span.service()));
        assertEquals(Set.of("api-service", "render-service", "storage-service", "index-service", "publish-service"), services,
                "services in the video's trace");
        // the pipeline's work is in this trace only, and every span of it names the project
        Set<String> elsewhere = new TreeSet<>();
        for (OtlpReceiver.Span span : traces.spans()) {
            if (projectId.equals(span.attribute("contentmachine.project.id")) && !span.traceId().equals(trace)
                    && span.linkedSpanIds().isEmpty() && PIPELINE_TOPICS.contains(topic(span))) {
                elsewhere.add(span.service() + " " + span.name() + " " + span.traceId());
            }
        }
        assertEquals(Set.of(), elsewhere, "pipeline spans of the project outside its trace");
        long unnamed = spans.stream().filter(span -> span.attribute("contentmachine.project.id") == null).count();
        System.out.printf("e2e trace %s: %d spans from %s; %d without the project id%n", trace, spans.size(), services, unnamed);
        // the pipeline's own spans (records sent and handled, job runs); a call made before the project existed (the create's
        // duplicate check) cannot name it
        List<String> withoutProject = spans.stream().filter(span -> span.attribute("contentmachine.project.id") == null
                && Set.of("SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER", "SPAN_KIND_INTERNAL").contains(span.kind()))
                .map(span -> span.service() + " " + span.name()).toList();
        assertEquals(List.of(), withoutProject, "pipeline spans of the trace without contentmachine.project.id");
    }

    /**
     * What an operator watches, on the video that just went through: every metric the alert rules and the Grafana dashboard
     * name (deploy/prometheus, deploy/grafana) is exposed by a service, each stage has been timed at least once, and the
     * stack's Prometheus (up's --prometheus) answers every dashboard query with data and has loaded the alert rules.
     */
    @Test
    @Order(2)
    void operatorsMetricsAreExposedAndQueryable() throws Exception {
        Set<String> named = PrometheusRulesTest.metricsNamed();
        Pattern series = Pattern.compile("^([a-z_]+)(\\{[^}]*})? (\\S+)", Pattern.MULTILINE);
        Set<String> missing = new TreeSet<>(named);
        Set<String> untimed = new TreeSet<>(List.of("script", "voice", "render", "upload", "finalize", "publish"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(missing.isEmpty() && untimed.isEmpty()) && System.nanoTime() < deadline) {
            for (int port = 8080; port <= 8084; port++) {
                HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (port + Stack.OFFSET)
                        + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                Matcher m = series.matcher(metrics.body());
                while (m.find()) {
                    missing.remove(m.group(1));
                    if ("contentmachine_stage_seconds_count".equals(m.group(1)) && Double.parseDouble(m.group(3)) >= 1) {
                        untimed.removeIf(stage -> m.group(2).contains("stage=\"" + stage + "\""));
                    }
                }
            }
            if (!(missing.isEmpty() && untimed.isEmpty())) {
                Thread.sleep(500);
            }
        }
        assertEquals(Set.of(), missing, "metrics the rules or the dashboard name but no service exposes");
        assertEquals(Set.of(), untimed, "stages never timed");

        String prometheus = "http://127.0.0.1:" + (9090 + Stack.OFFSET);
        JsonNode rules = call("GET", prometheus + "/api/v1/rules", null, null, 200);
        assertEquals(6, rules.at("/data/groups/0/rules").size(), rules.toString());
        for (String query : PrometheusRulesTest.dashboardQueries()) {
            String promql = query.replace("$__rate_interval", "1m");
            JsonNode answer = null;
            // Prometheus scrapes every 5 s: a query over a window may need two samples of the newest series
            while (System.nanoTime() < deadline + Duration.ofSeconds(30).toNanos()) {
                String url = prometheus + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
                answer = call("GET", url, null, null, 200);
                if (!answer.at("/data/result").isEmpty() || query.contains("histogram_quantile")) {
                    break;
                }
                Thread.sleep(1000);
            }
            assertEquals("success", answer.path("status").asText(), promql);
            assertTrue(query.contains("histogram_quantile") || !answer.at("/data/result").isEmpty(), "no data for " + promql);
        }
    }

    /**
     * The console in Debian's Chromium against the real stack: a wrong key refused, sign in, a write without the CSRF token
     * refused, connect YouTube through the sandbox's OAuth page, upload a still to the media library (straight to S3) and see it
     * ready, create from the catalog, progress to stored live, play (the
     * video element reports a duration), preview and publish to the sandbox's YouTube and see the link, delete, sign out; no
     * Content-Security-Policy violation or script error; no serious accessibility violation. Screenshots: target/console-screenshots.
     */
    @Test
    @Order(3)
    void theConsoleMakesPublishesAndDeletesAVideoInABrowser() throws Exception {
        String owner = "console-" + UUID.randomUUID().toString().substring(0, 8);
        String key = call("POST", STACK.gateway() + "/api/keys", STACK.adminKey(),
                JSON.writeValueAsString(Map.of("owner", owner, "name", "console e2e")), 201).get("key").asText();
        Path shots = STACK.root.resolve("testing/e2e/target/console-screenshots");
        Files.createDirectories(shots);
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Chromium chromium = Chromium.launch()) {
            BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
            context.onPage(p -> p.onPageError(e -> errors.add("page error: " + e)));
            context.onPage(p -> p.onConsoleMessage(m -> {
                if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource: the server responded with a status of 40")) {
                    errors.add(m.text());
                }
            }));
            Page page = context.newPage();
            page.navigate(STACK.gateway() + "/");
            page.getByLabel("API key").fill("cm_not-a-key");
            page.getByLabel("API key").press("Enter");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("Missing or invalid API key");
            page.getByLabel("API key").fill(key);
            page.getByLabel("API key").press("Enter");
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Your videos"))).isVisible();
            Object forged = page.evaluate("async () => (await fetch('/api/videos', {method: 'POST', headers: {'Content-Type': "
                    + "'application/json'}, body: JSON.stringify({topic: 'forged'})})).status");
            assertEquals(403, ((Number) forged).intValue(), "a write without the CSRF token");

            // a new owner publishes only where it connected an account: connect YouTube through the sandbox's consent page
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Accounts")).click();
            page.locator("li[data-platform=youtube]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Connect")).click();
            page.waitForURL(Pattern.compile(".*#/accounts\\?connected=youtube$"));
            assertThat(page.locator("li[data-platform=youtube] .status")).hasText("connected");
            page.locator("li[data-platform=tiktok]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Connect")).click();
            page.waitForURL(Pattern.compile(".*#/accounts\\?connected=tiktok$"));
            assertThat(page.locator("li[data-platform=tiktok] .status")).hasText("connected");
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("accounts.png")).setFullPage(true));

            // the media library: a still uploaded from the page straight to the stack's S3 (CORS), made ready by render-service
            Path still = STACK.home.resolveSibling("console-still.png");
            ffmpeg("-f", "lavfi", "-i", "color=c=0x2a9d8f:s=720x1280", "-frames:v", "1", still.toString());
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Media library")).click();
            page.getByLabel("File").setInputFiles(still);
            page.getByLabel("Description").fill("a calm teal sea under a clear sky");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click();
            assertThat(page.locator("#notice")).containsText("console-still.png uploaded");
            Locator asset = page.locator(".card.asset").first();
            long readyBy = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!"ready".equals(asset.locator(".status").textContent().strip()) && System.nanoTime() < readyBy) {
                page.waitForTimeout(1000);
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Refresh")).click();
            }
            assertThat(asset.locator(".status")).hasText("ready");
            page.waitForFunction("() => { const i = document.querySelector('.card.asset img'); "
                    + "return i && i.complete && i.naturalWidth > 0; }");
            assertEquals(List.of(), Chromium.seriousViolations(page), "axe-core on the media library");
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("media-library.png")).setFullPage(true));

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New video").setExact(true)).first().click();
            page.getByLabel("Topic").fill("Why cats always land on their feet");
            page.getByLabel("Length").selectOption("15");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create video")).click();
            page.waitForURL(Pattern.compile(".*#/videos/[0-9a-f-]{36}$"));
            // progress moves live on the page (Server-Sent Events with the session cookie; the page is never reloaded)
            page.waitForFunction("() => { const p = document.querySelector('#progress'); return p && p.value > 0; }", null,
                    new Page.WaitForFunctionOptions().setTimeout(120_000));
            assertThat(page.locator("p .status")).hasText("stored", new LocatorAssertions.HasTextOptions().setTimeout(240_000));
            page.waitForFunction("() => { const v = document.querySelector('video'); return v && v.duration > 10; }", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertEquals(List.of(), Chromium.seriousViolations(page), "axe-core on a video");

            // YouTube and TikTok, through TikTok's post screen: a privacy level must be chosen (none is preselected)
            page.getByLabel("YouTube").check();
            page.getByLabel("TikTok").check();
            Locator tiktok = page.locator("fieldset.tiktok");
            assertThat(tiktok).containsText("Posting as");
            assertThat(tiktok.locator("input[type=radio]:checked")).hasCount(0);
            assertThat(tiktok).containsText("Music Usage Confirmation");
            tiktok.locator("input[type=radio]").first().check();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Preview")).click();
            assertThat(page.locator("section.preview[data-platform=youtube] dd").first()).not().isEmpty();
            assertThat(page.locator("section.preview[data-platform=tiktok] dd").first()).not().isEmpty();
            assertEquals(List.of(), Chromium.seriousViolations(page), "axe-core on the publish form with TikTok's post screen");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish").setExact(true)).click();
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open on youtube")))
                    .hasAttribute("href", Pattern.compile("^http.+"), new LocatorAssertions.HasAttributeOptions().setTimeout(120_000));
            assertThat(page.locator("tr[data-platform=tiktok] .status")).hasText("published",
                    new LocatorAssertions.HasTextOptions().setTimeout(120_000));
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("video.png")).setFullPage(true));

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Videos").setExact(true)).click();
            page.waitForFunction("() => { const i = document.querySelector('.card img'); return i && i.complete && i.naturalWidth > 0; }");
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("videos.png")).setFullPage(true));

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Videos").setExact(true)).click();
            page.locator(".card a").first().click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete video")).click();
            page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete").setExact(true))
                    .click();
            assertThat(page.locator("#notice")).hasText("Video deleted.");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
            context.close();
        }
        assertEquals(List.of(), errors, "no script error or Content-Security-Policy violation in the browser");
    }

    /**
     * The short chaos run (testing/bench/chaos is the long one): three videos to all three platforms while every service is
     * killed with SIGKILL once and restarted. Nothing is lost (all published everywhere) and nothing is posted twice
     * (counted from the sandbox's own record of what it received).
     */
    @Test
    @Order(4)
    void nothingLostNothingPublishedTwiceWhileEveryServiceIsKilled() throws Exception {
        String key = STACK.adminKey();
        Instant began = Instant.now();
        List<String> platforms = List.of("youtube", "tiktok", "instagram");
        List<String> projects = new ArrayList<>();
        for (String topic : List.of("Why octopuses have three hearts", "How bees dance", "Why salt melts ice")) {
            String request = JSON.writeValueAsString(Map.of("topic", topic, "allowDuplicate", true, "config", Map.of("length", 15,
                    "publish", Map.of("platforms", platforms, "tiktok", Map.of("privacyLevel", "SELF_ONLY")))));
            projects.add(call("POST", STACK.gateway() + "/api/videos", key, request, 201).get("projectId").asText());
        }
        // the pipeline's stages in the order the work reaches them; each dies while it has work in flight or just ahead
        for (String service : List.of("render-service", "index-service", "storage-service", "publish-service", "api-service")) {
            Thread.sleep(4000);
            STACK.killAndRestart(service);
        }

        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        Map<String, JsonNode> views = new HashMap<>();
        while (System.nanoTime() < deadline && views.values().stream().filter(v -> "published".equals(v.path("status").asText()))
                .count() < projects.size()) {
            for (String id : projects) {
                try {
                    views.put(id, call("GET", STACK.gateway() + "/api/videos/" + id, key, null, 200));
                } catch (IOException | AssertionError gatewayRestarting) {
                    // the gateway is coming back: ask again
                }
            }
            Thread.sleep(2000);
        }
        for (String id : projects) {
            JsonNode view = views.get(id);
            assertTrue(view != null && "published".equals(view.path("status").asText()), () -> "not published: " + view
                    + "\n" + STACK.logTail("render-service") + "\n" + STACK.logTail("publish-service"));
            assertEquals(platforms.size(), view.path("publishings").size(), view.toPrettyString());
            for (JsonNode publishing : view.path("publishings")) {
                assertEquals("published", publishing.path("status").asText(), view.toPrettyString());
                assertFalse(publishing.path("platformId").asText().isBlank(), view.toPrettyString());
            }
        }
        // each video reached each platform once: the sandbox received one upload per platform and content, and exactly as
        // many since this test began as there are publishings (TikTok and Instagram ids differ from the upload's own id)
        JsonNode uploads = call("GET", STACK.sandbox() + "/sandbox/uploads", null, null, 200);
        Map<String, Integer> posts = new HashMap<>();
        int since = 0;
        for (JsonNode upload : uploads.isArray() ? uploads : uploads.path("uploads")) {
            posts.merge(upload.path("platform").asText() + ":" + upload.path("sha256").asText(), 1, Integer::sum);
            if (Instant.parse(upload.path("receivedAt").asText()).isAfter(began)) {
                since++;
            }
        }
        assertEquals(projects.size() * platforms.size(), since, "posts the sandbox received during this test: " + uploads);
        posts.forEach((content, count) -> assertEquals(1, count, "posted more than once: " + content));
    }

    /**
     * The media library on the real stack: an owner uploads a still and a song straight to S3 through the gateway's grants;
     * render-service normalises both (ready), index-service indexes them, and a video about the still's subject shows it
     * (its colour is found in the frames) with the song under the voice at −14 LUFS; a file that is not what it claims is
     * rejected with the reason; a deleted asset is gone.
     */
    @Test
    @Order(5)
    void anUploadedStillAndSongMakeItIntoAVideo() throws Exception {
        String owner = "library-" + UUID.randomUUID().toString().substring(0, 8);
        String key = call("POST", STACK.gateway() + "/api/keys", STACK.adminKey(),
                JSON.writeValueAsString(Map.of("owner", owner, "name", "library e2e")), 201).get("key").asText();
        Path dir = Files.createDirectories(STACK.home.resolveSibling("library"));
        Path still = dir.resolve("honeycomb.png");
        Path song = dir.resolve("calm.wav");
        Path fake = dir.resolve("not-a-video.mp4");
        ffmpeg("-f", "lavfi", "-i", "color=c=0xff00ff:s=1080x1920", "-frames:v", "1", still.toString());
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=20", "-ac", "2", "-ar", "44100", song.toString());
        Files.writeString(fake, "this is plain text, not a video");

        String stillId = upload(key, still, "image/png", "honeybees on a honeycomb in a wooden hive", List.of("bees", "hive"));
        String songId = upload(key, song, "audio/wav", "calm acoustic guitar", List.of("calm"));
        String fakeId = upload(key, fake, "video/mp4", "a clip of a beach", List.of("beach"));
        JsonNode stillAsset = awaitAsset(key, stillId, "ready");
        assertEquals(1080, stillAsset.path("width").asInt(), stillAsset.toString());
        assertEquals(1920, stillAsset.path("height").asInt(), stillAsset.toString());
        awaitAsset(key, songId, "ready");
        JsonNode rejected = awaitAsset(key, fakeId, "rejected");
        assertFalse(rejected.path("reason").asText().isBlank(), rejected.toString());

        String request = JSON.writeValueAsString(Map.of("topic", "How honeybees build a honeycomb", "config",
                Map.of("length", 15, "music", Map.of("assetId", songId))));
        String projectId = call("POST", STACK.gateway() + "/api/videos", key, request, 201).get("projectId").asText();
        JsonNode project = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            project = call("GET", STACK.gateway() + "/api/videos/" + projectId, key, null, 200);
            if (List.of("stored", "published", "failed").contains(project.path("status").asText())) {
                break;
            }
            Thread.sleep(1000);
        }
        JsonNode done = project;
        assertEquals("stored", project.path("status").asText(), () -> done.toPrettyString() + "\n" + STACK.logTail("render-service"));
        String provenance = project.toString();
        assertTrue(provenance.contains(stillId), () -> "the still is not in the provenance: " + done.toPrettyString());
        assertTrue(provenance.contains(songId), () -> "the song is not in the provenance: " + done.toPrettyString());

        String url = call("GET", STACK.gateway() + "/api/videos/" + projectId + "/download", key, null, 200).get("url").asText();
        Path mp4 = dir.resolve("library-video.mp4");
        try (InputStream body = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream())
                .body()) {
            Files.copy(body, mp4, StandardCopyOption.REPLACE_EXISTING);
        }
        // the still's magenta fills the frame's left edge (clear of captions) in at least one frame sampled each second
        int magenta = 0;
        for (int second = 0; second < 15; second++) {
            Process frame = new ProcessBuilder("ffmpeg", "-v", "error", "-ss", String.valueOf(second), "-i", mp4.toString(),
                    "-frames:v", "1", "-vf", "crop=60:600:0:660,scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").start();
            byte[] rgb = frame.getInputStream().readAllBytes();
            frame.waitFor();
            if (rgb.length == 3 && (rgb[0] & 0xff) > 200 && (rgb[1] & 0xff) < 60 && (rgb[2] & 0xff) > 200) {
                magenta++;
            }
        }
        assertTrue(magenta >= 1, "no frame shows the uploaded still");
        double lufs = integratedLoudness(mp4);
        assertTrue(Math.abs(lufs + 14) <= 1.0, "integrated loudness " + lufs + " LUFS with the music bed");

        call("DELETE", STACK.gateway() + "/api/assets/" + stillId, key, null, 204);
        call("GET", STACK.gateway() + "/api/assets/" + stillId, key, null, 404);
    }

    /** Creates an asset at the gateway, PUTs the file to the presigned grant exactly as a browser would, completes it. */
    private static String upload(String key, Path file, String contentType, String description, List<String> tags) throws Exception {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        JsonNode created = call("POST", STACK.gateway() + "/api/assets", key, JSON.writeValueAsString(Map.of("filename",
                file.getFileName().toString(), "contentType", contentType, "sizeBytes", Files.size(file), "sha256", sha256,
                "description", description, "tags", tags)), 201);
        JsonNode grant = created.path("upload");
        assertEquals("single", grant.path("method").asText(), grant.toString());
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(grant.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofFile(file));
        grant.path("headers").fields().forEachRemaining(h -> {
            if (!"host".equalsIgnoreCase(h.getKey()) && !"content-length".equalsIgnoreCase(h.getKey())) {
                put.header(h.getKey(), h.getValue().asText());
            }
        });
        HttpResponse<String> stored = HTTP.send(put.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stored.statusCode(), stored.body());
        String id = created.path("asset").path("id").asText();
        call("POST", STACK.gateway() + "/api/assets/" + id + "/complete", key, "{}", 200);
        return id;
    }

    private static JsonNode awaitAsset(String key, String id, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode asset = null;
        while (System.nanoTime() < deadline) {
            asset = call("GET", STACK.gateway() + "/api/assets/" + id, key, null, 200);
            if (status.equals(asset.path("status").asText()) || "rejected".equals(asset.path("status").asText())) {
                break;
            }
            Thread.sleep(500);
        }
        JsonNode last = asset;
        assertEquals(status, asset.path("status").asText(), () -> last + "\n" + STACK.logTail("render-service"));
        return asset;
    }

    private static void ffmpeg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor(), new String(out));
    }

    /** Integrated loudness (LUFS) of a file's audio, from ffmpeg's ebur128 filter. */
    private static double integratedLoudness(Path file) throws Exception {
        Process process = new ProcessBuilder("ffmpeg", "-nostats", "-i", file.toString(), "-filter_complex", "ebur128", "-f", "null", "-")
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        Matcher integrated = Pattern.compile("I:\\s+(-?[0-9.]+) LUFS").matcher(out.substring(out.lastIndexOf("Summary:")));
        assertTrue(integrated.find(), out);
        return Double.parseDouble(integrated.group(1));
    }

    /** One JSON call; fails with the answer when the status is not the expected one. */
    /** The Kafka topic a messaging span sent to or handled from; null for other spans. */
    private static String topic(OtlpReceiver.Span span) {
        String topic = span.attribute("messaging.destination.name");
        return topic != null ? topic : span.attribute("messaging.destination");
    }

    private static JsonNode call(String method, String url, String apiKey, String json, int expectedStatus, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), () -> method + " " + url + " answered " + response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode ffprobe(Path file) throws Exception {
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", file.toString())
                .redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor(), new String(out));
        return JSON.readTree(out);
    }

    private static JsonNode stream(JsonNode probe, String type) {
        for (JsonNode stream : probe.get("streams")) {
            if (type.equals(stream.get("codec_type").asText())) {
                return stream;
            }
        }
        throw new AssertionError("no " + type + " stream: " + probe);
    }
}
