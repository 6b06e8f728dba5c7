package io.contentmachine.publish.platform;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.contentmachine.publish.domain.Platform;

/**
 * The registry of platforms: every {@link PlatformApi} bean, by its {@link Platform}. Adding a platform is a package with
 * one such bean and a value of {@link Platform}; a value without its bean (or with two) stops the service at its first use.
 */
@ApplicationScoped
public class Platforms {

    private final Map<Platform, PlatformApi> apis = new EnumMap<>(Platform.class);

    Platforms(Instance<PlatformApi> beans) {
        for (PlatformApi api : beans) {
            if (apis.put(api.platform(), api) != null) {
                throw new IllegalStateException("two beans implement " + api.platform().id());
            }
        }
        for (Platform platform : Platform.values()) {
            if (!apis.containsKey(platform)) {
                throw new IllegalStateException("no PlatformApi bean for " + platform.id());
            }
        }
    }

    public PlatformApi of(Platform platform) {
        return apis.get(platform);
    }
}
