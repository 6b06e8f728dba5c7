package io.contentmachine.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points publish-service's platform clients at the platform sandbox of this test JVM. */
public class SandboxResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String url = PlatformSandbox.shared().url();
        return Map.of(
                "publish.youtube.api-url", url,
                "publish.youtube.token-url", url + "/token",
                "publish.tiktok.api-url", url,
                "publish.instagram.api-url", url,
                "sandbox.url", url);
    }

    @Override
    public void stop() {
        // the sandbox lives as long as the test JVM
    }
}
