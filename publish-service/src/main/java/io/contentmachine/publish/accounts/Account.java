package io.contentmachine.publish.accounts;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import org.hibernate.annotations.DynamicUpdate;

/**
 * An owner's connected account on one platform; tokens are stored encrypted by {@link TokenCipher}. Only changed columns
 * are written back: a pause set by {@link PlatformLimits} must not be overwritten by a token save that read the row before.
 */
@Entity
@Table(name = "accounts")
@IdClass(Account.Key.class)
@DynamicUpdate
public class Account extends PanacheEntityBase {

    public static final String CONNECTED = "connected";
    public static final String DISCONNECTED = "disconnected";

    @Id
    @Column(name = "owner_id")
    public String ownerId;

    @Id
    public String platform;

    /** Encrypted. */
    @Column(name = "access_token")
    public String accessToken;

    /** Encrypted. */
    @Column(name = "refresh_token")
    public String refreshToken;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "platform_user_id")
    public String platformUserId;

    /** The platform's readable name of the account, when the connect flow learned one. */
    @Column(name = "account_name")
    public String accountName;

    public String status;

    /** SHA-256 of the operator's configured tokens this account was made from ({@link DefaultAccounts}); null otherwise. */
    @Column(name = "configured_tokens")
    public String configuredTokens;

    /** Until when calls of this account wait (a rate limit or a used-up quota), and why; written by {@link PlatformLimits}. */
    @Column(name = "paused_until")
    public Instant pausedUntil;

    @Column(name = "pause_reason")
    public String pauseReason;

    @Column(name = "pause_message")
    public String pauseMessage;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Composite key (owner, platform). */
    public static class Key implements Serializable {

        public String ownerId;
        public String platform;

        public Key() {
        }

        public Key(String ownerId, String platform) {
            this.ownerId = ownerId;
            this.platform = platform;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(ownerId, key.ownerId) && Objects.equals(platform, key.platform);
        }

        @Override
        public int hashCode() {
            return Objects.hash(ownerId, platform);
        }
    }
}
