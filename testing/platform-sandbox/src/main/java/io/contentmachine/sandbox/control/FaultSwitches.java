package io.contentmachine.sandbox.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/** The armed faults; a platform endpoint asks {@link #take} once per call and fails the call when it gets one. */
@ApplicationScoped
public class FaultSwitches {

    private final List<Armed> armed = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    public synchronized Fault arm(Fault request) {
        Fault fault = new Fault("fault-" + ids.incrementAndGet(), request.platform(), request.operation(), request.kind(),
                request.count(), request.skip(), request.status(), request.retryAfterSeconds(), request.afterBytes(),
                request.failReason(), request.message());
        armed.add(new Armed(fault, fault.count(), fault.skip()));
        return fault;
    }

    /** The fault of one of these kinds that hits this call, if one is armed for it; consumes one of its count. */
    public synchronized Optional<Fault> take(String platform, String operation, List<String> kinds) {
        for (Armed a : armed) {
            Fault f = a.fault;
            if (f.platform().equals(platform) && (f.operation() == null || f.operation().equals(operation))
                    && kinds.contains(f.kind())) {
                if (a.skipLeft > 0) {
                    a.skipLeft--;
                    return Optional.empty();
                }
                a.left--;
                if (a.left <= 0) {
                    armed.remove(a);
                }
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public synchronized List<Fault> list() {
        return armed.stream().map(a -> new Fault(a.fault.id(), a.fault.platform(), a.fault.operation(), a.fault.kind(), a.left,
                a.skipLeft, a.fault.status(), a.fault.retryAfterSeconds(), a.fault.afterBytes(), a.fault.failReason(),
                a.fault.message())).toList();
    }

    public synchronized void clear() {
        armed.clear();
    }

    private static final class Armed {
        final Fault fault;
        int left;
        int skipLeft;

        Armed(Fault fault, int left, int skipLeft) {
            this.fault = fault;
            this.left = left;
            this.skipLeft = skipLeft;
        }
    }
}
