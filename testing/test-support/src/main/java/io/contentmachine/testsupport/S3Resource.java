package io.contentmachine.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points a @QuarkusTest at the real S3 server (S3Proxy) of this test JVM, via storage.s3.* settings. */
public class S3Resource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String endpoint = S3ProxyServer.shared().endpoint();
        return Map.of(
                "storage.s3.endpoint", endpoint,
                "storage.s3.public-endpoint", endpoint,
                "storage.s3.region", "us-east-1",
                "storage.s3.access-key-id", S3ProxyServer.ACCESS_KEY,
                "storage.s3.secret-access-key", S3ProxyServer.SECRET_KEY);
    }

    @Override
    public void stop() {
        // S3Proxy lives as long as the test JVM
    }
}
