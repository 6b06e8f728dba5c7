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
 */
public record JobTable(String name, String key, String claimable, String onClaim) {
}
