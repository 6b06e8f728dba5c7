package io.contentmachine.api;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import com.sun.net.httpserver.HttpServer;
import io.contentmachine.testsupport.Chromium;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser (Debian's Chromium through Playwright) against the gateway, with the test's stand-ins for the
 * other services and the pipeline's events sent on Kafka: sign in, create, live progress, play, preview and publish, connect
 * an account through an OAuth round trip, delete, sign out; refusals; no request to any host but the gateway and the media
 * host; no serious accessibility violation (axe-core). Screenshots go to target/console-screenshots.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class ConsoleBrowserTest {

    static final Path SHOTS = Paths.get("target", "console-screenshots");
    static final String MEDIA_HOST = "s3.test";

    static Chromium chromium;
    static HttpServer media;
    static Browser browser;
    static Path mp4;
    static Path jpeg;
    static Path m4a;
    /** The x-amz-checksum-sha256 header of every PUT the stand-in S3 accepted. */
    static final List<String> checksums = new CopyOnWriteArrayList<>();

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void launch() throws Exception {
        Files.createDirectories(SHOTS);
        Path folder = Files.createTempDirectory("console-media");
        mp4 = folder.resolve("clip.mp4");
        jpeg = folder.resolve("thumb.jpg");
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=270x480:d=2:r=15", "-f", "lavfi", "-i", "sine=d=2",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart", mp4.toString());
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=270x480:d=1", "-frames:v", "1", jpeg.toString());
        m4a = folder.resolve("bed.m4a");
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", m4a.toString());
        // the media host of the stand-in presigned URLs is a real HTTP server here: the browser follows the thumbnail's redirect
        // and loads the player's URL over the network, as it does from S3
        media = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        media.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            // S3's CORS rules for the console's uploads: PUT from any origin with the grant's headers
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            if ("OPTIONS".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "GET, PUT");
                exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "content-type, x-amz-checksum-sha256");
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            if ("PUT".equals(exchange.getRequestMethod())) {
                stored(exchange);
                return;
            }
            boolean video = path.endsWith("/video") || path.endsWith(".mp4");
            byte[] body = Files.readAllBytes(video ? mp4 : path.endsWith(".m4a") ? m4a : jpeg);
            exchange.getResponseHeaders().set("Content-Type", video ? "video/mp4" : path.endsWith(".m4a") ? "audio/mp4" : "image/jpeg");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        media.start();
        chromium = Chromium.launch(List.of("--host-resolver-rules=MAP " + MEDIA_HOST + " 127.0.0.1:" + media.getAddress().getPort()));
        browser = chromium.browser;
    }

    @AfterAll
    static void close() {
        if (chromium != null) {
            chromium.close();
        }
        if (media != null) {
            media.stop(0);
        }
    }

    /**
     * A PUT to a presigned URL, checked as S3 checks a grant's: the Content-Type and the SHA-256 the grant named, else 400
     * BadDigest; accepted bytes are what the storage stand-in finds at complete.
     */
    private static void stored(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (var in = exchange.getRequestBody()) {
            bytes = in.readAllBytes();
        }
        String key = exchange.getRequestURI().getPath().substring(1);
        Map<String, Object> asset = FakeServices.assets.values().stream().filter(a -> FakeServices.originalKey(a).equals(key))
                .findFirst().orElse(null);
        String checksum = exchange.getRequestHeaders().getFirst("x-amz-checksum-sha256");
        boolean matches = asset != null && checksum != null && checksum.equals(Base64.getEncoder().encodeToString(
                HexFormat.of().parseHex(FakeServices.sha256(bytes)))) && FakeServices.sha256(bytes).equals(asset.get("sha256"))
                && asset.get("contentType").equals(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (matches) {
            FakeServices.objects.put(key, bytes);
            checksums.add(checksum);
        }
        exchange.getResponseHeaders().set("ETag", "\"" + FakeServices.sha256(bytes).substring(0, 32) + "\"");
        exchange.sendResponseHeaders(matches ? 200 : 400, -1);
        exchange.close();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, process.waitFor(), String.join(" ", command));
    }

    /** A browser context that records every host it asks and every error its pages log. */
    private BrowserContext context(Set<String> hosts, List<String> errors, int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
        context.onRequest(request -> hosts.add(URI.create(request.url()).getHost()));
        context.onPage(page -> page.onPageError(error -> errors.add("page error: " + error)));
        context.onPage(page -> page.onConsoleMessage(message -> {
            // the refusals this test provokes (401, 403) are logged by the browser as failed loads; anything else is a finding
            if ("error".equals(message.type()) && !message.text()
                    .startsWith("Failed to load resource: the server responded with a status of 40")) {
                errors.add(message.text());
            }
        }));
        return context;
    }

    private void noSeriousViolations(Page page, String where) {
        assertEquals(List.of(), Chromium.seriousViolations(page), "axe-core on " + where);
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Test
    void signInCreateFollowPlayPublishConnectDeleteAndSignOut() {
        String[] owner = Api.newOwner("viv");
        Set<String> hosts = ConcurrentHashMap.newKeySet();
        List<String> errors = new CopyOnWriteArrayList<>();
        BrowserContext context = context(hosts, errors, 1280, 900);
        // the OAuth page of the platform: approve at once, back to the gateway's callback (the sandbox does this in the e2e test)
        context.route("http://sandbox.test/**", route -> {
            URI consent = URI.create(route.request().url());
            String platform = consent.getPath().split("/")[2];
            String state = consent.getQuery().replace("state=", "");
            route.fulfill(new Route.FulfillOptions().setStatus(302).setHeaders(Map.of("Location",
                    base.resolve("/api/oauth/" + platform + "/callback?code=good-code&state=" + state).toString())));
        });
        Page page = context.newPage();

        // sign in: a wrong key is refused and says so
        page.navigate(base.toString());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
        noSeriousViolations(page, "sign in");
        page.getByLabel("API key").fill("cm_wrong-key");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Missing or invalid API key");
        shot(page, "sign-in");
        page.getByLabel("API key").fill(owner[1]);
        page.getByLabel("API key").press("Enter");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Your videos"))).isVisible();
        assertThat(page.getByText("Signed in as " + owner[0])).isVisible();
        assertTrue(context.cookies().stream().anyMatch(c -> c.name.equals("cm_session") && c.httpOnly), "an httpOnly session cookie");
        assertEquals(null, page.evaluate("() => document.cookie.includes('cm_session') ? 'readable' : null"), "not readable by scripts");

        // a write without the CSRF token is refused, even from the console's own page
        Object forged = page.evaluate("async () => (await fetch('/api/videos', {method: 'POST', headers: {'Content-Type': "
                + "'application/json'}, body: JSON.stringify({topic: 'forged'})})).status");
        assertEquals(403, ((Number) forged).intValue());

        // create: template, voice and length come from the catalog
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New video").setExact(true)).first().click();
        assertThat(page.getByLabel("Template")).containsText("Minimal");
        noSeriousViolations(page, "new video");
        page.getByLabel("Topic").fill("Why octopuses have three hearts");
        page.getByLabel("Template").selectOption("minimal");
        page.getByLabel("Voice").selectOption("af_heart");
        page.getByLabel("Length").selectOption("45");
        shot(page, "new-video");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create video")).click();
        page.waitForURL(Pattern.compile(".*#/videos/[0-9a-f-]{36}$"));
        String id = page.url().replaceAll(".*#/videos/", "");
        assertThat(page.locator(".status").first()).hasText("processing");

        // progress moves live (Server-Sent Events with the cookie), then the script, provenance and player appear
        VideoLifecycleTest.send("video.progress", id, owner[0], Map.of());
        assertThat(page.locator("#progress-text")).hasText("render: 40%");
        VideoLifecycleTest.send("video.rendered", id, owner[0], Map.of());
        assertThat(page.getByText("Octopuses have three hearts.").first()).isVisible();
        assertThat(page.locator("dl.facts")).containsText("festival");
        FakeServices.stored.add(UUID.fromString(id));
        VideoLifecycleTest.send("video.stored", id, owner[0], Map.of());
        assertThat(page.locator("video")).isVisible();
        page.waitForFunction("() => document.querySelector('video').duration > 1.5");
        noSeriousViolations(page, "video");

        // publish: preview what YouTube receives; without a connected account the publish is refused and says why
        publishToYouTube(page);
        assertThat(page.locator("form .error")).containsText("No connected account for youtube");

        // accounts: connect YouTube through the platform's consent page; the callback brings the browser back here
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Accounts")).click();
        page.locator("li[data-platform=youtube]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Connect")).click();
        page.waitForURL(Pattern.compile(".*#/accounts\\?connected=youtube$"));
        assertThat(page.locator("#notice")).hasText("YouTube connected.");
        assertThat(page.locator("li[data-platform=youtube] .status")).hasText("connected");
        noSeriousViolations(page, "accounts");
        shot(page, "accounts");

        page.locator("li[data-platform=tiktok]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Connect")).click();
        page.waitForURL(Pattern.compile(".*#/accounts\\?connected=tiktok$"));
        assertThat(page.locator("li[data-platform=tiktok] .status")).hasText("connected");

        // TikTok's post screen: the creator's nickname, only their privacy levels and none chosen, comments off and greyed out
        // because the creator turned them off, Duet and Stitch off, the music-usage statement
        page.navigate(base.resolve("/#/videos/" + id).toString());
        page.getByLabel("TikTok").check();
        Locator tiktok = page.locator("fieldset.tiktok");
        assertThat(tiktok).containsText("Posting as " + owner[0] + " on TikTok");
        assertThat(tiktok).not().containsText("null");
        assertThat(tiktok.getByRole(AriaRole.RADIO)).hasCount(2);
        assertThat(tiktok.getByLabel("Friends (followers you follow back)")).not().isChecked();
        assertThat(tiktok.getByLabel("Only me")).not().isChecked();
        assertThat(tiktok.getByLabel("Allow comments")).isDisabled();
        assertThat(tiktok.getByLabel("Allow comments")).not().isChecked();
        assertThat(tiktok.getByLabel("Allow Duet")).isEnabled();
        assertThat(tiktok.getByLabel("Allow Duet")).not().isChecked();
        assertThat(tiktok.getByLabel("Allow Stitch")).not().isChecked();
        assertThat(tiktok).containsText("By posting, you agree to TikTok’s Music Usage Confirmation.");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Preview")).click();
        assertThat(page.locator("form .error")).hasText("Choose who can see the TikTok post.");
        tiktok.getByLabel("Only me").check();
        tiktok.getByLabel("Allow Duet").check();
        tiktok.getByLabel("Disclose commercial content", new Locator.GetByLabelOptions().setExact(false)).check();
        tiktok.getByLabel("Branded content", new Locator.GetByLabelOptions().setExact(false)).check();
        assertThat(tiktok).containsText("TikTok’s Branded Content Policy and Music Usage Confirmation");
        noSeriousViolations(page, "TikTok post screen");

        // now the publish goes out to both; the page keeps reading the publishings until they settle: the link appears without a reload
        publishToYouTube(page);
        assertThat(page.locator("section.preview[data-platform=tiktok]")).containsText("Octopus hearts, explained #octopus");
        assertThat(page.locator("#notice")).hasText("Publishing started.");
        var sent = FakeServices.publishRequests.stream().filter(r -> r.path("ownerId").asText().equals(owner[0])).toList();
        var last = sent.get(sent.size() - 1);
        assertEquals("Octopus hearts, explained", last.path("metadata").path("title").asText());
        assertEquals("SELF_ONLY", last.path("tiktok").path("privacyLevel").asText());
        assertEquals(false, last.path("tiktok").path("allowComment").asBoolean());
        assertEquals(true, last.path("tiktok").path("allowDuet").asBoolean());
        assertEquals(false, last.path("tiktok").path("allowStitch").asBoolean());
        assertEquals(true, last.path("tiktok").path("brandContentToggle").asBoolean());
        // a publishing id of its own: the contract example's is used by other tests for their projects
        VideoLifecycleTest.send("video.published", id, owner[0], Map.of("publishingId", UUID.randomUUID().toString()));
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open on youtube")))
                .hasAttribute("href", "https://www.youtube.com/shorts/dQw4w9WgXcQ");
        shot(page, "video");

        // the grid: newest first, with the thumbnail through the redirect to its presigned URL
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Videos").setExact(true)).click();
        assertThat(page.locator(".card").first()).containsText("Why octopuses have three hearts");
        page.waitForFunction("() => { const i = document.querySelector('.card img'); return i && i.complete && i.naturalWidth > 0; }");
        noSeriousViolations(page, "videos");
        shot(page, "videos");

        // delete with a confirmation
        page.navigate(base.resolve("/#/videos/" + id).toString());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete video")).click();
        assertThat(page.getByRole(AriaRole.DIALOG)).containsText("Delete this video?");
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions()
                .setName("Delete").setExact(true)).click();
        assertThat(page.locator("#notice")).hasText("Video deleted.");
        Api.as(owner[1]).get("/api/videos/" + id).then().statusCode(200).body("status", equalTo("deleted"));

        // sign out: the cookie no longer works
        String cookie = context.cookies().stream().filter(c -> c.name.equals("cm_session")).findFirst().orElseThrow().value;
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
        given().cookie("cm_session", cookie).get("/api/videos").then().statusCode(401);

        assertEquals(Set.of(base.getHost(), MEDIA_HOST, "sandbox.test"), hosts, "no request to any other host");
        assertEquals(List.of(), errors, "no errors in the browser console (e.g. a Content-Security-Policy violation)");
        context.close();
    }

    private static void publishToYouTube(Page page) {
        page.getByLabel("YouTube").check();
        page.getByLabel("Title (optional)").fill("Octopus hearts, explained");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Preview")).click();
        assertThat(page.locator("section.preview[data-platform=youtube]")).containsText("Octopus hearts, explained");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish").setExact(true)).click();
    }

    @Test
    void phoneWidthHasNoSidewaysScrollingAndAnExpiredSessionAsksToSignInAgain() {
        String[] owner = Api.newOwner("pho");
        for (int i = 0; i < 3; i++) {
            Api.create(Api.as(owner[1]), "Phone video " + i);
        }
        Set<String> hosts = ConcurrentHashMap.newKeySet();
        List<String> errors = new CopyOnWriteArrayList<>();
        BrowserContext context = context(hosts, errors, 390, 844);
        Page page = context.newPage();
        page.navigate(base.toString());
        page.getByLabel("API key").fill(owner[1]);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator(".card")).hasCount(3);
        assertEquals(Boolean.TRUE, page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"));
        noSeriousViolations(page, "videos at phone width");
        shot(page, "videos-phone");

        // the session ends on the server (sign-out elsewhere): the next page asks to sign in again
        String cookie = context.cookies().stream().filter(c -> c.name.equals("cm_session")).findFirst().orElseThrow().value;
        given().cookie("cm_session", cookie).header("Origin", "http://" + base.getHost() + ":" + base.getPort())
                .header("X-CSRF-Token", (String) page.evaluate("async () => (await (await fetch('/api/session')).json()).csrfToken"))
                .delete("/api/session").then().statusCode(204);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Accounts")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Your session has ended");
        assertEquals(List.of(), errors);
        context.close();
    }

    @Test
    void mediaLibraryUploadsStraightToStorageBrowsesDeletesAndGivesAVideoItsMusic() throws Exception {
        String[] owner = Api.newOwner("lib");
        UUID piano = FakeServices.readyAsset(owner[0], "audio/mpeg", "piano.mp3", "Calm piano", List.of("calm"));
        UUID harbour = FakeServices.readyAsset(owner[0], "image/jpeg", "harbour.jpg", "Fishing boats in a harbour at dawn",
                List.of("harbour", "boats"));
        FakeServices.readyAsset(owner[0], "video/mp4", "waves.mp4", "Waves rolling onto a beach, slow motion", List.of("sea"));
        Set<String> hosts = ConcurrentHashMap.newKeySet();
        List<String> errors = new CopyOnWriteArrayList<>();
        BrowserContext context = context(hosts, errors, 1280, 900);
        Page page = context.newPage();
        page.navigate(base.toString());
        page.getByLabel("API key").fill(owner[1]);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Your videos"))).isVisible();

        // browse: newest first, each ready one with its preview (a presigned GET of the normalised copy)
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Media library")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Media library"))).isVisible();
        assertThat(page.locator(".card.asset")).hasCount(3);
        Locator harbourCard = page.locator(".card.asset[data-id='" + harbour + "']");
        assertThat(harbourCard).containsText("Fishing boats in a harbour at dawn");
        assertThat(harbourCard).containsText("Tags: harbour, boats");
        assertThat(harbourCard.locator(".status")).hasText("ready");
        page.waitForFunction("() => { const i = document.querySelector(\"[data-id='" + harbour + "'] img\"); "
                + "return i && i.complete && i.naturalWidth > 0; }");
        assertThat(page.locator(".card.asset[data-id='" + piano + "'] audio")).isVisible();

        // a file the library does not take is refused before anything is sent
        Path text = Files.createTempFile("notes", ".txt");
        Files.writeString(text, "not media");
        page.getByLabel("File").setInputFiles(text);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click();
        assertThat(page.locator("form .error")).containsText("is not a file the library takes");

        // upload: SHA-256 in the browser, the grant, one PUT straight to storage with the grant's headers, complete
        int before = FakeServices.assetRequests.size();
        page.getByLabel("File").setInputFiles(jpeg);
        page.getByLabel("Description").fill("A test card: colour bars and a moving circle");
        page.getByLabel("Tags (optional)").fill("pattern, colours");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click();
        assertThat(page.locator("#notice")).containsText("thumb.jpg uploaded");
        Map<String, Object> uploaded = FakeServices.assets.values().stream()
                .filter(a -> a.get("ownerId").equals(owner[0]) && a.get("filename").equals("thumb.jpg")).findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(jpeg);
        assertArrayEquals(bytes, FakeServices.objects.get(FakeServices.originalKey(uploaded)), "the bytes S3 received");
        assertEquals(FakeServices.sha256(bytes), uploaded.get("sha256"), "hashed in the browser");
        assertTrue(checksums.contains(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(FakeServices.sha256(bytes)))));
        List<String> sentTags = new ArrayList<>();
        FakeServices.assetRequests.get(before).path("tags").forEach(t -> sentTags.add(t.asText()));
        assertEquals(List.of("pattern", "colours"), sentTags);
        assertEquals("A test card: colour bars and a moving circle", FakeServices.assetRequests.get(before).path("description").asText());
        assertEquals("processing", uploaded.get("status"));
        String id = uploaded.get("id").toString();
        Locator card = page.locator(".card.asset[data-id='" + id + "']");
        assertThat(card.locator(".status")).hasText("processing");
        assertThat(page.locator(".card.asset").first()).hasAttribute("data-id", id);

        // render-service made it ready: a refresh shows the preview
        FakeServices.markReady(UUID.fromString(id));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Refresh")).click();
        assertThat(card.locator(".status")).hasText("ready");
        page.waitForFunction("() => { const i = document.querySelector(\"[data-id='" + id + "'] img\"); "
                + "return i && i.complete && i.naturalWidth > 0; }");
        noSeriousViolations(page, "media library");
        shot(page, "media-library");

        // a file the server wants in parts is refused with a clear message, and no empty entry is left behind
        long singlePut = FakeServices.singlePutMax;
        FakeServices.singlePutMax = 100;
        try {
            page.getByLabel("File").setInputFiles(jpeg);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click();
            assertThat(page.locator("form .error")).containsText("too large to upload from the console in one piece");
        } finally {
            FakeServices.singlePutMax = singlePut;
        }
        org.awaitility.Awaitility.await().atMost(VideoLifecycleTest.WAIT).until(() -> FakeServices.assets.values().stream()
                .noneMatch(a -> a.get("ownerId").equals(owner[0]) && a.get("status").equals("uploading")));

        // delete, with a confirmation
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete thumb.jpg")).click();
        assertThat(page.getByRole(AriaRole.DIALOG)).containsText("Delete thumb.jpg?");
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete").setExact(true))
                .click();
        assertThat(page.locator("#notice")).hasText("thumb.jpg deleted.");
        assertThat(card).hasCount(0);
        assertThat(page.locator("main p[role=status]")).hasText("3 files shown");
        assertFalse(FakeServices.assets.containsKey(UUID.fromString(id)));

        // a phone's width: no sideways scrolling
        page.setViewportSize(390, 844);
        assertEquals(Boolean.TRUE, page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"));
        shot(page, "media-library-phone");
        page.setViewportSize(1280, 900);

        // a new video with one of the owner's ready tracks as its music bed
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New video").setExact(true)).first().click();
        Locator music = page.getByLabel("Music (optional)");
        assertThat(music.locator("option")).hasText(new String[] {"No music", "Calm piano (piano.mp3)", "Any track tagged “calm”"});
        noSeriousViolations(page, "new video with music");
        page.getByLabel("Topic").fill("Why harbours smell of the sea");
        music.selectOption(new SelectOption().setLabel("Calm piano (piano.mp3)"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create video")).click();
        page.waitForURL(Pattern.compile(".*#/videos/[0-9a-f-]{36}$"));
        String project = page.url().replaceAll(".*#/videos/", "");
        var requested = KafkaTestClient.awaitOne("video.requested", r -> project.equals(r.key()), VideoLifecycleTest.WAIT);
        assertEquals(piano.toString(), new ObjectMapper().readTree(requested.value()).path("config").path("music").path("assetId")
                .asText());

        assertEquals(Set.of(base.getHost(), MEDIA_HOST), hosts, "no request to any other host");
        assertEquals(List.of(), errors, "no errors in the browser console (e.g. a Content-Security-Policy violation)");
        context.close();
    }
}
