package io.contentmachine.render.video;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.contentmachine.render.voice.TimedWord;

/**
 * Where the pictures of a scene come from. The renderer asks its sources in order (the owner's media library, then stock
 * footage) and takes the first answer; {@link GeneratedVisuals} always answers, so it is the last.
 */
public interface VisualSource {

    /** Name recorded as the scene's visual source ("generated", ...). */
    String name();

    /** Pictures for each slot of the scene, or empty when this source has nothing that fits. */
    Optional<SceneVisual> find(SceneBrief scene, Path dir, RenderControl control);

    /**
     * What a source is asked for: the scene's text and English visual prompt, the script's language, its words as
     * spoken (seconds of the video), and the slots (start, seconds) the scene's time is cut into: one picture per slot,
     * so that the picture changes at least every {@link VideoRenderer#MAX_SHOT_SECONDS}. {@code firstShot} counts the
     * video's slots before this scene (sources vary colours and compositions with it). {@code ownerId} is whose media
     * library is asked (null: none); {@code usedAssets} the library assets this video already shows (the renderer's set,
     * one per video, which a source adds to); {@code previousPicture} the picture of the video's shot before this scene
     * (null at the start), so a source does not repeat it across the cut.
     */
    record SceneBrief(int sequence, String text, String visualPrompt, String language, List<TimedWord> words,
            List<double[]> slots, int firstShot, Template template, String ownerId, Set<String> usedAssets, Path previousPicture) {

        public SceneBrief(int sequence, String text, String visualPrompt, String language, List<TimedWord> words,
                List<double[]> slots, int firstShot, Template template) {
            this(sequence, text, visualPrompt, language, words, slots, firstShot, template, null, new HashSet<>(), null);
        }
    }

    /**
     * A scene's pictures: which source, a human-readable detail (e.g. what matched), one shot per slot, the credits of
     * what it shows (stock footage; empty for generated pictures) and why the sources asked before it had nothing (null
     * when none was asked in vain); {@code assetId} the owner's library asset shown (the first, when several), else null.
     */
    record SceneVisual(String source, String detail, List<Shot> shots, List<PexelsClient.Credit> credits, String fallback,
            String assetId) {

        public SceneVisual(String source, String detail, List<Shot> shots, List<PexelsClient.Credit> credits, String fallback) {
            this(source, detail, shots, credits, fallback, null);
        }

        public SceneVisual(String source, String detail, List<Shot> shots) {
            this(source, detail, shots, List.of(), null, null);
        }
    }

    /** How a shot's picture moves. */
    enum Motion {
        /** A still larger than the frame ({@link VideoRenderer#CARD_WIDTH} x {@link VideoRenderer#CARD_HEIGHT}): whips in, drifts. */
        CARD,
        /** A photo of any size: cover-cropped to the frame, slow push-in. */
        PUSH_IN,
        /** A video clip of any size: cover-cropped to the frame, played from {@code offset} seconds, looped when too short. */
        FOOTAGE
    }

    /**
     * One picture and how it moves, an optional sticker drawn over it at {@code stickerX, stickerY} (centre, frame
     * coordinates), and an optional headline word shown in big animated type.
     */
    record Shot(Path picture, Motion motion, double offset, Path sticker, int stickerX, int stickerY, String headline,
            String headlineColor, String accent) {

        static Shot footage(Path clip, double offset) {
            return new Shot(clip, Motion.FOOTAGE, offset, null, 0, 0, null, null, null);
        }

        static Shot photo(Path photo) {
            return new Shot(photo, Motion.PUSH_IN, 0, null, 0, 0, null, null, null);
        }
    }

    /** This source cannot answer now (e.g. a stock library's rate limit): the reason is said in the scene's provenance. */
    class Unavailable extends RuntimeException {
        public Unavailable(String reason) {
            super(reason);
        }
    }
}
