package io.contentmachine.kit.jobs;

import io.smallrye.mutiny.Uni;

/** What a service's worker does with a job its {@link JobRunner} claimed: the domain, where the runner knows none. */
public interface JobHandler {

    /**
     * One run of a claimed job, on a Vert.x context of its own. Every transaction of the run begins with
     * {@link JobRunner#hold}, so a run that lost its lease writes nothing; the run ends the job (its own write), gives it
     * back for later ({@link JobRunner#retryAt}, {@link JobRunner#waitUntil}) or, failing, leaves it to its lease's end.
     */
    Uni<Void> run(Lease lease);

    /**
     * The run no longer holds its job, or must end now: its lease was lost (cancelled, claimed elsewhere), it ran past
     * the runner's max-run, or the runner is stopping. Stop what cannot be fenced (a child process); the default does
     * nothing, the run's writes are refused anyway.
     */
    default void stop(Lease lease, String reason) {
    }
}
