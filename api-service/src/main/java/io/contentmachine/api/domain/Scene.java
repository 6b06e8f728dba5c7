package io.contentmachine.api.domain;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One scene of a project's script, from video.rendered. */
@Entity
@Table(name = "scenes")
@IdClass(Scene.Key.class)
public class Scene extends PanacheEntityBase {

    @Id
    @Column(name = "project_id")
    public UUID projectId;

    @Id
    public int sequence;

    public String text;

    @Column(name = "duration_seconds")
    public double durationSeconds;

    @Column(name = "visual_prompt")
    public String visualPrompt;

    /** Composite key (project, sequence). */
    public static class Key implements Serializable {
        public UUID projectId;
        public int sequence;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.sequence == sequence && Objects.equals(k.projectId, projectId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(projectId, sequence);
        }
    }
}
