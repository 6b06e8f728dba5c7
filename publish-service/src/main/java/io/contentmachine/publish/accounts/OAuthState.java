package io.contentmachine.publish.accounts;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A started OAuth connect flow: who asked, for which platform, until when; used at most once (by its callback). */
@Entity
@Table(name = "oauth_states")
public class OAuthState extends PanacheEntityBase {

    /** SHA-256 (hex) of the state; the state itself is only ever in the consent URL and the callback. */
    @Id
    @Column(name = "state_hash")
    public String stateHash;

    @Column(name = "owner_id")
    public String ownerId;

    public String platform;

    @Column(name = "redirect_uri")
    public String redirectUri;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    @Column(name = "created_at")
    public Instant createdAt;
}
