package io.contentmachine.render.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The owner's media library, asked first for each scene: the scene's English visual prompt is matched with the owner's
 * ready clips and stills (index-service), and each shot of the scene takes the best match this video does not show yet
 * (a match already shown is taken again only when no other matches), never the picture of the shot just before it. A
 * clip plays as footage (cover-cropped, looped), a still with a slow push-in. When the scene has more shots than usable
 * matches, the shots between are drawn in the generated style, so that the picture still changes at every cut. Nothing
 * when the owner has no match; {@link VisualSource.Unavailable} when index- or storage-service cannot answer (the render
 * falls back and says why).
 */
public class LibraryVisuals implements VisualSource {

    public static final String NAME = "library";
    static final List<String> KINDS = List.of("video", "image");
    /** Matches asked for per scene. */
    static final int CANDIDATES = 8;

    private final LibraryClient library;
    private final VisualSource between;

    /** @param between draws the shots the library has no fresh picture for (the generated style) */
    public LibraryVisuals(LibraryClient library, VisualSource between) {
        this.library = library;
        this.between = between;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<SceneVisual> find(SceneBrief scene, Path dir, RenderControl control) {
        if (scene.ownerId() == null || scene.visualPrompt() == null || scene.visualPrompt().isBlank()) {
            return Optional.empty();
        }
        List<LibraryClient.Match> matches = library.search(scene.ownerId(), scene.visualPrompt(), KINDS, CANDIDATES).stream()
                .filter(m -> KINDS.contains(m.kind())).toList();
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        // unused in this video first, each group best first
        List<LibraryClient.Match> ordered = new ArrayList<>(matches.stream()
                .filter(m -> !scene.usedAssets().contains(m.assetId().toString())).toList());
        matches.stream().filter(m -> scene.usedAssets().contains(m.assetId().toString())).forEach(ordered::add);
        Map<LibraryClient.Match, Path> files = new LinkedHashMap<>();
        List<Shot> shots = new ArrayList<>();
        List<LibraryClient.Match> shown = new ArrayList<>();
        List<Shot> drawn = null;
        VisualSource.Unavailable failed = null;
        Path previous = scene.previousPicture();
        for (int i = 0; i < scene.slots().size(); i++) {
            control.throwIfStopped("render");
            Shot shot = null;
            boolean unshownLeft = ordered.stream().anyMatch(m -> !shown.contains(m));
            for (LibraryClient.Match m : List.copyOf(ordered)) {
                if (shown.contains(m) && unshownLeft) {
                    continue; // another match is not shown in this scene yet
                }
                Path file = files.get(m);
                if (file == null) {
                    try {
                        file = fetch(m, dir);
                    } catch (VisualSource.Unavailable e) {
                        // this asset cannot be had now (deleted meanwhile, storage down): the others may
                        failed = e;
                        ordered.remove(m);
                        continue;
                    }
                    files.put(m, file);
                }
                if (!file.equals(previous)) {
                    shot = m.kind().equals("video") ? Shot.footage(file, 0) : Shot.photo(file);
                    shown.add(m);
                    break;
                }
            }
            if (shot == null) {
                if (drawn == null) {
                    drawn = between.find(scene, dir, control).map(SceneVisual::shots).orElseThrow(
                            () -> new RenderException("render", "the generated style drew nothing for scene " + scene.sequence(), false));
                }
                shot = drawn.get(i);
            }
            shots.add(shot);
            previous = shot.picture();
        }
        if (shown.isEmpty() && failed != null) {
            throw failed;
        }
        if (shown.isEmpty()) {
            return Optional.empty();
        }
        List<LibraryClient.Match> distinct = shown.stream().distinct().toList();
        distinct.forEach(m -> scene.usedAssets().add(m.assetId().toString()));
        List<String> named = distinct.stream().map(m -> String.format(Locale.ROOT, "%s %s (score %.2f: '%s')", m.kind(), m.assetId(),
                m.score(), m.description())).toList();
        String detail = "owner's library for '" + scene.visualPrompt() + "': " + String.join(", ", named)
                + (drawn == null ? "" : "; generated pictures between (" + (shots.size() - shown.size()) + " of " + shots.size()
                        + " shots)");
        return Optional.of(new SceneVisual(NAME, detail, shots, List.of(), null, distinct.get(0).assetId().toString()));
    }

    private Path fetch(LibraryClient.Match m, Path dir) {
        Path file = dir.resolve("library-" + m.assetId() + (m.kind().equals("video") ? ".mp4" : ".jpg"));
        return Files.exists(file) ? file : Objects.requireNonNull(library.fetch(m.assetId(), file));
    }
}
