package io.contentmachine.kit.transaction;

import java.util.concurrent.CompletableFuture;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.engine.ReactiveAfterTransactionCompletionProcess;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.session.ReactiveSession;

/**
 * Runs an action once the current Panache transaction has committed (not after a rollback): how a write wakes the one who
 * acts on it in this replica at once (the outbox relay, a job runner) instead of at its next timer tick.
 * <p>
 * Hibernate Reactive's public API has no after-commit callback: the action queue is reached through the session
 * implementation. Should that ever change shape the action is skipped, and the woken side's timer still finds the rows.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /** Registers {@code action} on the current session's transaction; call inside {@code Panache.withTransaction}. */
    public static Uni<Void> run(Runnable action) {
        return Panache.getSession().invoke(session -> register(session, action)).replaceWithVoid();
    }

    private static void register(Mutiny.Session session, Runnable action) {
        if (!(session instanceof MutinySessionImpl implementation)) {
            return;
        }
        ReactiveAfterTransactionCompletionProcess process = (success, ignored) -> {
            if (success) {
                action.run();
            }
            return CompletableFuture.completedFuture(null);
        };
        implementation.unwrap(ReactiveSession.class).getReactiveActionQueue().registerProcess(process);
    }
}
