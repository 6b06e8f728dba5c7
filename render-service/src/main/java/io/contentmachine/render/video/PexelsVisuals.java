package io.contentmachine.render.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Stock footage from Pexels for a scene: its visual prompt's nouns as the query, videos first (one clip per shot, each
 * shot a different clip where there are enough, else a later part of one), photos for the shots still without a
 * picture; nothing when neither matches. Files are downloaded into the render's folder; the renderer cover-crops them to
 * the frame, trims or loops clips to their shot and pushes in slowly on photos. Every video and photo used is credited
 * (creator and Pexels page) in the scene's provenance.
 */
public class PexelsVisuals implements VisualSource {

    public static final String NAME = "pexels";
    static final int PER_PAGE = 15;

    private final PexelsClient pexels;

    public PexelsVisuals(PexelsClient pexels) {
        this.pexels = pexels;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<SceneVisual> find(SceneBrief scene, Path dir, RenderControl control) {
        String query = String.join(" ", GeneratedVisuals.nouns(scene.visualPrompt()));
        if (query.isBlank()) {
            return Optional.empty();
        }
        int wanted = scene.slots().size();
        List<PexelsClient.Media> videos = rotate(pexels.videos(query, PER_PAGE), scene.sequence());
        List<PexelsClient.Media> chosen = new ArrayList<>(videos.subList(0, Math.min(wanted, videos.size())));
        if (chosen.size() < wanted) {
            List<PexelsClient.Media> photos = rotate(pexels.photos(query, PER_PAGE), scene.sequence());
            chosen.addAll(photos.subList(0, Math.min(wanted - chosen.size(), photos.size())));
        }
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        List<Shot> shots = new ArrayList<>();
        LinkedHashSet<PexelsClient.Credit> credits = new LinkedHashSet<>();
        for (int i = 0; i < wanted; i++) {
            control.throwIfStopped("render");
            // fewer files than shots: the same file again, a later part of a clip
            PexelsClient.Media media = chosen.get(i % chosen.size());
            int round = i / chosen.size();
            Path file = dir.resolve(String.format(Locale.ROOT, "pexels-%d-%d.%s", media.credit().kind().equals("video") ? 1 : 2,
                    media.credit().id(), media.seconds() > 0 ? "mp4" : "jpeg"));
            if (!java.nio.file.Files.exists(file)) {
                pexels.download(media.link(), file);
            }
            double offset = media.seconds() > 0 ? (round * VideoRenderer.MAX_SHOT_SECONDS) % Math.max(1, media.seconds()) : 0;
            shots.add(media.seconds() > 0 ? Shot.footage(file, offset) : Shot.photo(file));
            credits.add(media.credit());
        }
        List<String> named = credits.stream().map(c -> String.format(Locale.ROOT, "Pexels %s %d by %s (%s)", c.kind(), c.id(),
                c.creator(), c.pageUrl())).toList();
        return Optional.of(new SceneVisual(NAME, "query '" + query + "': " + String.join(", ", named), shots, List.copyOf(credits),
                null));
    }

    /** Scenes start at different results, so that neighbouring scenes with the same nouns show different footage. */
    private static <T> List<T> rotate(List<T> list, int by) {
        if (list.isEmpty()) {
            return list;
        }
        int k = Math.floorMod(by - 1, list.size());
        List<T> out = new ArrayList<>(list.subList(k, list.size()));
        out.addAll(list.subList(0, k));
        return out;
    }
}
