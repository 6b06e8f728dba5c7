package io.contentmachine.api.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The first response to a POST with an Idempotency-Key, replayed for the same key and body. */
@Entity
@Table(name = "idempotency_keys")
@IdClass(IdempotencyRecord.Key.class)
public class IdempotencyRecord extends PanacheEntityBase {

    @Id
    @Column(name = "owner_id")
    public String ownerId;

    @Id
    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** SHA-256 of the normalised request body. */
    @Column(name = "request_hash")
    public String requestHash;

    public int status;

    /** The response body as JSON text. */
    public String response;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Composite key (owner, idempotency key). */
    public static class Key implements Serializable {
        public String ownerId;
        public String idempotencyKey;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.ownerId, ownerId) && Objects.equals(k.idempotencyKey, idempotencyKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(ownerId, idempotencyKey);
        }
    }
}
