package io.contentmachine.sandbox.tiktok;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.contentmachine.sandbox.config.SandboxConfig;
import io.contentmachine.sandbox.transfer.UploadStore;

/**
 * The creator behind the sandbox's TikTok tokens, as creator_info describes them, and the app's audit state. Tests change
 * them at run time (PUT /sandbox/tiktok/creator) to prove a client follows the posting rules: a privacy level among the
 * creator's options, interactions off where the creator disabled them, SELF_ONLY only for an unaudited app.
 */
@ApplicationScoped
public class TikTokCreator {

    /** What creator_info answers and init enforces. */
    public record Settings(List<String> privacyLevelOptions, boolean commentDisabled, boolean duetDisabled, boolean stitchDisabled,
            int maxVideoPostDurationSec, boolean audited) {
    }

    private final SandboxConfig config;
    private final AtomicReference<Settings> current = new AtomicReference<>();

    TikTokCreator(SandboxConfig config) {
        this.config = config;
        current.set(defaults());
    }

    public Settings settings() {
        return current.get();
    }

    /** Applies the fields present in {@code changes} (the names of {@link Settings}); the others stay. */
    public Settings change(Map<String, Object> changes) {
        return current.updateAndGet(now -> {
            Map<String, Object> merged = new LinkedHashMap<>();
            merged.put("privacyLevelOptions", now.privacyLevelOptions());
            merged.put("commentDisabled", now.commentDisabled());
            merged.put("duetDisabled", now.duetDisabled());
            merged.put("stitchDisabled", now.stitchDisabled());
            merged.put("maxVideoPostDurationSec", now.maxVideoPostDurationSec());
            merged.put("audited", now.audited());
            for (Map.Entry<String, Object> change : changes.entrySet()) {
                if (!merged.containsKey(change.getKey())) {
                    throw new IllegalArgumentException("unknown setting " + change.getKey() + "; known: " + merged.keySet());
                }
                merged.put(change.getKey(), change.getValue());
            }
            try {
                @SuppressWarnings("unchecked")
                List<String> options = List.copyOf((List<String>) merged.get("privacyLevelOptions"));
                return new Settings(options, (Boolean) merged.get("commentDisabled"), (Boolean) merged.get("duetDisabled"),
                        (Boolean) merged.get("stitchDisabled"), ((Number) merged.get("maxVideoPostDurationSec")).intValue(),
                        (Boolean) merged.get("audited"));
            } catch (ClassCastException | NullPointerException e) {
                throw new IllegalArgumentException("privacyLevelOptions is a list of strings, maxVideoPostDurationSec a number and"
                        + " the others booleans");
            }
        });
    }

    public Settings reset() {
        current.set(defaults());
        return current.get();
    }

    void onReset(@Observes UploadStore.SandboxReset reset) {
        reset();
    }

    private Settings defaults() {
        SandboxConfig.TikTok tiktok = config.tiktok();
        return new Settings(List.copyOf(tiktok.privacyLevelOptions()), false, false, false, tiktok.maxVideoPostDurationSec(),
                tiktok.audited());
    }
}
