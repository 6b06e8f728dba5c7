package io.contentmachine.sandbox.http;

import io.contentmachine.sandbox.config.SandboxConfig;

/** The URL clients reach the sandbox at, for absolute URLs in answers (session URIs, upload URLs). */
public final class BaseUrl {

    private BaseUrl() {
    }

    public static String of(SandboxConfig config, String scheme, String host) {
        if (config.publicUrl().isPresent() && !config.publicUrl().get().isBlank()) {
            String url = config.publicUrl().get();
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
        return (scheme == null ? "http" : scheme) + "://" + host;
    }
}
