package io.contentmachine.publish.accounts;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PublishTask.Credentials;
import io.smallrye.mutiny.Uni;

/** The token to publish with: the owner's connected account, else the platform's default token (single-tenant installs). */
@ApplicationScoped
public class CredentialResolver {

    private final PublishConfig config;
    private final TokenCipher cipher;

    CredentialResolver(PublishConfig config, TokenCipher cipher) {
        this.config = config;
        this.cipher = cipher;
    }

    /** Call inside a session. */
    public Uni<Optional<Credentials>> resolve(String ownerId, Platform platform) {
        return Account.<Account>findById(new Account.Key(ownerId, platform.id())).map(account -> {
            if (account != null && Account.CONNECTED.equals(account.status)) {
                return Optional.of(new Credentials(cipher.decrypt(account.accessToken), userId(platform, account.platformUserId)));
            }
            return defaults(platform).defaultAccessToken().filter(token -> !token.isBlank())
                    .map(token -> new Credentials(token, userId(platform, null)));
        });
    }

    /** Whether the owner can publish there at all (a connected account or a default token). */
    public Uni<Boolean> available(String ownerId, Platform platform) {
        return resolve(ownerId, platform).map(Optional::isPresent);
    }

    private String userId(Platform platform, String accountUserId) {
        if (platform != Platform.INSTAGRAM) {
            return accountUserId;
        }
        return accountUserId != null ? accountUserId : config.instagram().defaultUserId();
    }

    PublishConfig.PlatformAccess defaults(Platform platform) {
        return switch (platform) {
            case YOUTUBE -> config.youtube();
            case TIKTOK -> config.tiktok();
            case INSTAGRAM -> config.instagram();
        };
    }
}
