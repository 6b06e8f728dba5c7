package io.contentmachine.api.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A console sign-in: the API key it was opened with, and until when it holds. Only the SHA-256 of its token is kept. */
@Entity
@Table(name = "sessions")
public class Session extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "token_hash")
    public String tokenHash;

    /** The API key's id, or {@link ApiKeyService#ADMIN_OWNER} for the bootstrap key. */
    @Column(name = "key_id")
    public String keyId;

    @Column(name = "owner_id")
    public String ownerId;

    public boolean admin;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** SHA-256 of the OAuth state of the account connection this session started last. */
    @Column(name = "oauth_state_hash")
    public String oauthStateHash;

    public Caller caller() {
        return new Caller(keyId, ownerId, admin);
    }
}
