package io.contentmachine.publish.config;

import io.smallrye.config.ConfigMapping;

/** The shared secret of internal REST calls between services (header X-Internal-Token). Required: env INTERNAL_TOKEN. */
@ConfigMapping(prefix = "internal")
public interface InternalConfig {

    String token();
}
