package io.contentmachine.render.script;

import java.util.List;

/** A written script before it is spoken: scene durations here are estimates; the voice stage measures the real ones. */
public record ScriptPlan(String title, String description, String hook, List<String> tags, List<String> hashtags,
        List<PlannedScene> scenes, String writer, String fallbackReason) {

    /** One scene: what is said, how long it should take, and what the picture should show. */
    public record PlannedScene(int sequence, String text, double estimatedSeconds, String visualPrompt) {
    }

    public int wordCount() {
        return scenes.stream().mapToInt(s -> OfflineScriptWriter.words(s.text()).size()).sum();
    }

    public double estimatedSeconds() {
        return scenes.stream().mapToDouble(PlannedScene::estimatedSeconds).sum();
    }
}
