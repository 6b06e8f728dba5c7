package io.contentmachine.publish.accounts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One platform call that the platform counts per account in a sliding window (see {@link PlatformLimits}). */
@Entity
@Table(name = "account_calls")
public class AccountCall extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "owner_id")
    public String ownerId;

    public String platform;

    public String operation;

    @Column(name = "made_at")
    public Instant madeAt;
}
