package io.contentmachine.kit.auth;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Internal REST calls between services (header X-Internal-Token): the secret, and which of this service's paths need it. */
@ConfigMapping(prefix = "internal")
public interface InternalConfig {

    /** The shared secret, sent by this service's clients and checked by its filter. Required: env INTERNAL_TOKEN. */
    String token();

    /** Paths starting with this (e.g. /storage) need the token; unset: the service guards none (api-service). */
    Optional<String> pathPrefix();

    /** Regular expressions of whole paths under the prefix that stay public, e.g. an OAuth callback. */
    Optional<List<String>> publicPaths();
}
