package io.contentmachine.kit.jobs;

/**
 * A service's job table as {@link JobRunner} sees it. Beside its uuid key the table has the runner's columns:
 * {@code run_at timestamptz not null} (when it is due), {@code locked_until timestamptz} and {@code lease_token uuid}
 * (the lease of the run holding it) and {@code attempts int not null} (runs so far, counted at claim).
 *
 * @param name the table
 * @param key its uuid primary key column
 * @param claimable SQL condition a due, unleased row must also meet to be claimed ({@code true} for any)
 * @param onClaim SQL assignments a claim makes beside the lease (e.g. a status column), or empty
 * @param project SQL for the job's project id (a column, or a subquery on the job's row), or null: a table with one also has
 *        {@code traceparent text} and {@code traced_at timestamptz}, the span that made the job and when; each run is traced
 *        as a child of it, or, when the job ran much later than it was made (a schedule, a quota), in a trace of its own
 *        with a link back
 */
public record JobTable(String name, String key, String claimable, String onClaim, String project) {

    /** A table whose runs are not traced (no trace columns). */
    public JobTable(String name, String key, String claimable, String onClaim) {
        this(name, key, claimable, onClaim, null);
    }

    boolean traced() {
        return project != null && !project.isBlank();
    }
}
