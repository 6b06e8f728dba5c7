package io.contentmachine.sandbox.health;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.contentmachine.sandbox.transfer.UploadStore;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the directory that receives uploaded bytes is writable. */
@Readiness
@ApplicationScoped
public class DataDirReadiness implements HealthCheck {

    @Inject
    UploadStore store;

    @Override
    public HealthCheckResponse call() {
        Path dir = store.fileFor("health", "probe").getParent();
        return HealthCheckResponse.named("sandbox-data-dir").status(Files.isDirectory(dir) && Files.isWritable(dir))
                .withData("path", dir.toString()).build();
    }
}
