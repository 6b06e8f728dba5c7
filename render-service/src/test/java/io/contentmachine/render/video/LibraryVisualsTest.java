package io.contentmachine.render.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the owner's library fills a scene's shots: the best match not shown yet first, never the picture of the shot
 * before (a cut must change the picture), generated pictures between when the library has too few; an index-service that
 * cannot be reached makes the source unavailable with the reason, and it is not asked again at once.
 */
class LibraryVisualsTest {

    @TempDir
    Path dir;

    private final List<String> fetched = new ArrayList<>();

    @Test
    void shotsTakeUnusedMatchesFirstAndNeverRepeatAcrossACut() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        LibraryVisuals library = new LibraryVisuals(library(List.of(match(a, "image", 0.8), match(b, "video", 0.6))), generated());
        Set<String> used = new HashSet<>();

        VisualSource.SceneVisual first = library.find(brief(1, 3, used, null), dir, RenderControl.unlimited()).orElseThrow();
        assertEquals(List.of("library-" + a + ".jpg", "library-" + b + ".mp4", "library-" + a + ".jpg"), names(first));
        assertEquals(List.of(VisualSource.Motion.PUSH_IN, VisualSource.Motion.FOOTAGE, VisualSource.Motion.PUSH_IN),
                first.shots().stream().map(VisualSource.Shot::motion).toList());
        assertEquals(a.toString(), first.assetId());
        assertEquals(Set.of(a.toString(), b.toString()), used);
        assertEquals(2, fetched.size(), "each asset fetched once");

        // the next scene starts after a shot of a: it does not open on a again
        Path last = first.shots().get(2).picture();
        VisualSource.SceneVisual second = library.find(brief(2, 1, used, last), dir, RenderControl.unlimited()).orElseThrow();
        assertEquals(List.of("library-" + b + ".mp4"), names(second));
    }

    @Test
    void oneMatchAlternatesWithGeneratedPictures() {
        UUID a = UUID.randomUUID();
        LibraryVisuals library = new LibraryVisuals(library(List.of(match(a, "image", 0.8))), generated());
        VisualSource.SceneVisual scene = library.find(brief(1, 3, new HashSet<>(), null), dir, RenderControl.unlimited()).orElseThrow();
        assertEquals(List.of("library-" + a + ".jpg", "card-1.png", "library-" + a + ".jpg"), names(scene));
        assertTrue(scene.detail().contains("generated pictures between (1 of 3 shots)"), scene.detail());
        // a one-shot scene right after a shot of the only match: nothing from the library (the renderer asks the next source)
        assertEquals(Optional.empty(), library.find(brief(2, 1, new HashSet<>(Set.of(a.toString())), dir.resolve("library-" + a + ".jpg")),
                dir, RenderControl.unlimited()));
        assertEquals(Optional.empty(), new LibraryVisuals(library(List.of()), generated()).find(brief(3, 2, new HashSet<>(), null), dir,
                RenderControl.unlimited()));
    }

    @Test
    void indexServiceDownMakesTheSourceUnavailableWithTheReason() {
        LibraryVisuals library = new LibraryVisuals(new LibraryClient("http://127.0.0.1:9", "http://127.0.0.1:9", "token",
                Duration.ofSeconds(2), 1 << 20), generated());
        VisualSource.Unavailable down = assertThrows(VisualSource.Unavailable.class,
                () -> library.find(brief(1, 2, new HashSet<>(), null), dir, RenderControl.unlimited()));
        assertTrue(down.getMessage().startsWith("index-service cannot be reached"), down.getMessage());
        VisualSource.Unavailable quiet = assertThrows(VisualSource.Unavailable.class,
                () -> library.find(brief(2, 2, new HashSet<>(), null), dir, RenderControl.unlimited()));
        assertTrue(quiet.getMessage().contains("not asked again before"), quiet.getMessage());
    }

    private static VisualSource.SceneBrief brief(int sequence, int slots, Set<String> used, Path previous) {
        List<double[]> spans = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            spans.add(new double[] {i * 2.0, 2.0});
        }
        return new VisualSource.SceneBrief(sequence, "Meadows are green.", "green meadow, wide shot", "en", List.of(), spans, 0,
                Template.byId("minimal").orElseThrow(), "owner-1", used, previous);
    }

    private static LibraryClient.Match match(UUID id, String kind, double score) {
        return new LibraryClient.Match(id, kind, score, "a " + kind, List.of());
    }

    private LibraryClient library(List<LibraryClient.Match> matches) {
        return new LibraryClient("http://127.0.0.1:9", "http://127.0.0.1:9", "token", Duration.ofSeconds(1), 1 << 20) {
            @Override
            public List<Match> search(String ownerId, String text, List<String> kinds, int limit) {
                return matches.stream().filter(m -> kinds.contains(m.kind())).toList();
            }

            @Override
            public Path fetch(UUID assetId, Path target) {
                fetched.add(assetId.toString());
                try {
                    return Files.write(target, new byte[] {1});
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** Stands in for the generated style: one card per slot, card-&lt;slot&gt;.png. */
    private static VisualSource generated() {
        return new VisualSource() {
            @Override
            public String name() {
                return GeneratedVisuals.NAME;
            }

            @Override
            public Optional<SceneVisual> find(SceneBrief scene, Path dir, RenderControl control) {
                List<Shot> shots = new ArrayList<>();
                for (int i = 0; i < scene.slots().size(); i++) {
                    shots.add(new Shot(dir.resolve("card-" + i + ".png"), Motion.CARD, 0, null, 0, 0, null, null, null));
                }
                return Optional.of(new SceneVisual(GeneratedVisuals.NAME, "cards", shots));
            }
        };
    }

    private static List<String> names(VisualSource.SceneVisual visual) {
        return visual.shots().stream().map(s -> s.picture().getFileName().toString()).toList();
    }
}
