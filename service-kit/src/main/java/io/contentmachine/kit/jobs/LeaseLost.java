package io.contentmachine.kit.jobs;

import java.util.UUID;

/** The job was given back, cancelled or claimed by another run: this run stops without writing. */
public final class LeaseLost extends RuntimeException {

    LeaseLost(String table, UUID jobId) {
        super(table + " " + jobId + ": this run no longer holds the job's lease", null, false, false);
    }
}
