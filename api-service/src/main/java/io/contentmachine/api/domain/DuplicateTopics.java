package io.contentmachine.api.domain;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.api.client.DuplicateCheck;
import io.contentmachine.api.client.IndexClient;
import io.contentmachine.api.config.ApiConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/** The duplicate guard of a create: a new topic near one of the owner's standing projects is refused unless asked for. */
@ApplicationScoped
public class DuplicateTopics {

    private static final Logger LOG = Logger.getLogger(DuplicateTopics.class);

    private final DuplicateCheck duplicates;
    private final ApiConfig config;
    private final MeterRegistry meters;

    DuplicateTopics(DuplicateCheck duplicates, ApiConfig config, MeterRegistry meters) {
        this.duplicates = duplicates;
        this.config = config;
        this.meters = meters;
    }

    /**
     * "checked", "skipped" (index-service unavailable, slow or busy: see {@link DuplicateCheck}) or "off" (allowDuplicate, or the
     * guard switched off), or a {@link DomainException.DuplicateTopic}; each outcome is counted (api_dedup_checks_total on
     * /q/metrics), a duplicate as "duplicate".
     */
    public Uni<String> check(Caller caller, NewProject request) {
        if (!config.dedup().enabled() || request.allowDuplicate()) {
            return Uni.createFrom().item(counted("off"));
        }
        return duplicates.check(caller.ownerId(), request.topic(), config.dedup().threshold().orElse(null))
                .onItemOrFailure().transformToUni((result, failure) -> {
                    if (failure != null) {
                        // a busy or open guard is the expected answer under load: one line per request would flood the log
                        if (failure instanceof BulkheadException || failure instanceof CircuitBreakerOpenException) {
                            LOG.debugf("duplicate check skipped: %s", failure.toString());
                        } else {
                            LOG.warnf("duplicate check skipped: index-service unavailable (%s)", failure.toString());
                        }
                        return Uni.createFrom().item(counted("skipped"));
                    }
                    if (result == null || !result.duplicate() || result.matches() == null || result.matches().isEmpty()) {
                        return Uni.createFrom().item(counted("checked"));
                    }
                    return standing(result.matches()).map(matches -> {
                        if (matches.isEmpty()) {
                            return counted("checked");
                        }
                        counted("duplicate");
                        IndexClient.Match best = matches.get(0);
                        throw new DomainException.DuplicateTopic(best.projectId(), best.score());
                    });
                });
    }

    /**
     * The matches whose projects still stand, best first: index-service knows scripts, the gateway knows outcomes, and a
     * topic whose video failed (or was deleted) is one the owner may well ask for again.
     */
    private Uni<List<IndexClient.Match>> standing(List<IndexClient.Match> matches) {
        List<UUID> ids = matches.stream().map(IndexClient.Match::projectId).toList();
        return Panache.withSession(() -> Project.<Project>list("id in ?1 and status not in ?2", ids,
                        List.of(ProjectStatus.FAILED.value(), ProjectStatus.DELETED.value())))
                .map(standing -> {
                    Set<UUID> standingIds = standing.stream().map(project -> project.id).collect(Collectors.toSet());
                    return matches.stream().filter(match -> standingIds.contains(match.projectId())).toList();
                });
    }

    private String counted(String outcome) {
        meters.counter("api.dedup.checks", "outcome", outcome).increment();
        return outcome;
    }
}
