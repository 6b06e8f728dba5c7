package io.contentmachine.render.script;

import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * The script with about {@code words} fewer words: whole sentences are dropped from the middle scenes, the longest
     * scene first; the first scene (the hook) and the last (the call to action) stay. A scene left empty is removed and
     * the rest renumbered. Unchanged when there is nothing left to drop.
     */
    public ScriptPlan shortened(int words) {
        List<List<String>> sentences = new ArrayList<>();
        for (PlannedScene scene : scenes) {
            sentences.add(new ArrayList<>(Arrays.asList(scene.text().strip().split("(?<=[.!?…])\\s+"))));
        }
        int dropped = 0;
        while (dropped < words) {
            int longest = -1;
            for (int i = 1; i < sentences.size() - 1; i++) {
                if (!sentences.get(i).isEmpty() && (longest < 0 || sentences.get(i).size() > sentences.get(longest).size())) {
                    longest = i;
                }
            }
            if (longest < 0) {
                break;
            }
            List<String> scene = sentences.get(longest);
            dropped += OfflineScriptWriter.words(scene.remove(scene.size() - 1)).size();
        }
        List<PlannedScene> kept = new ArrayList<>();
        for (int i = 0; i < scenes.size(); i++) {
            if (!sentences.get(i).isEmpty()) {
                PlannedScene s = scenes.get(i);
                String text = String.join(" ", sentences.get(i));
                double seconds = Math.round(OfflineScriptWriter.words(text).size() / OfflineScriptWriter.WORDS_PER_SECOND * 10) / 10.0;
                kept.add(new PlannedScene(kept.size() + 1, text, seconds, s.visualPrompt()));
            }
        }
        return new ScriptPlan(title, description, hook, tags, hashtags, kept, writer, fallbackReason);
    }
}
