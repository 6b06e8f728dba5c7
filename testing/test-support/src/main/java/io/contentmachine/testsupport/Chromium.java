package io.contentmachine.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Debian's Chromium (/usr/bin/chromium, installed by deploy/local/install-tools) driven by Playwright, headless: Playwright's own
 * browser download is skipped, and the sandbox is off because the tests run as root. Also the accessibility check (axe-core).
 */
public final class Chromium implements AutoCloseable {

    public static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private final Playwright playwright;
    public final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static Chromium launch() {
        return launch(List.of());
    }

    /** With extra Chromium switches, e.g. --host-resolver-rules to send a made-up host name to a local server. */
    public static Chromium launch(List<String> extraArgs) {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: run deploy/local/install-tools (Debian package chromium)");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE).setHeadless(true)
                .setArgs(Stream.concat(Stream.of("--no-sandbox", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--disable-dev-shm-usage", "--no-first-run", "--disable-default-apps"), extraArgs.stream())
                        .toList()));
        return new Chromium(playwright, browser);
    }

    /** The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page, one line each (empty when none). */
    public static List<String> seriousViolations(Page page) {
        return new AxeBuilder(page).withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze().getViolations().stream()
                .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .map(v -> v.getId() + ": " + v.getHelp() + " " + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList())
                .toList();
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
