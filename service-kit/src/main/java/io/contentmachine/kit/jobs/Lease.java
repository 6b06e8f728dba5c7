package io.contentmachine.kit.jobs;

import java.util.UUID;

/**
 * One run's claim on a job: the token it must still find on the job's row to write anything, and which attempt of the job
 * this run is (counted at claim, so a run whose replica died counts too).
 */
public record Lease(UUID jobId, UUID token, int attempt) {
}
