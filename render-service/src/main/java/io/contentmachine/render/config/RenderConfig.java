package io.contentmachine.render.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the render pipeline (prefix {@code render}); every one can be overridden by env, e.g. RENDER_WORK_DIR. */
@ConfigMapping(prefix = "render")
public interface RenderConfig {

    /** Renders running at once in this instance; default max(1, cores / 2). */
    Optional<Integer> concurrency();

    /** Scratch space; one sub-folder per render, removed after success and failure. */
    @WithDefault("${java.io.tmpdir}/content-machine-render")
    String workDir();

    /** Wall-clock limit of one render (script to upload); ffmpeg is killed when it is exceeded. */
    @WithDefault("10m")
    Duration timeout();

    /**
     * How long a claim lasts unless renewed (every third of it while the render works): the job of a worker that died is
     * claimed again after it.
     */
    @WithDefault("60s")
    Duration lease();

    /** How often the worker looks for due jobs when no new job woke it (env RENDER_POLL_INTERVAL). */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * Files over this are uploaded in parts of this size, each part's SHA-256 sent with the grant request so that
     * storage-service signs it into the part's URL (env RENDER_UPLOAD_PART_SIZE_BYTES; at least 5 MiB, S3's minimum).
     */
    @WithDefault("67108864")
    long uploadPartSizeBytes();

    /** Attempts before a job that keeps failing (or whose worker keeps dying) is given up with video.failed. */
    @WithDefault("3")
    int maxAttempts();

    /**
     * libx264 preset. ultrafast with CABAC (see x264-params) encodes in about 60% of veryfast's CPU time and, at the same
     * CRF, measures a higher SSIM against a lossless encode on all three templates (docs/BENCHMARKS.md); files are larger.
     */
    @WithDefault("ultrafast")
    String preset();

    /** Extra libx264 options (-x264-params, key=value:key=value). CABAC costs little CPU and saves about 20% of the size. */
    @WithDefault("cabac=1")
    String x264Params();

    /** libx264 constant rate factor (lower is better quality). */
    @WithDefault("23")
    int crf();

    @WithDefault("ffmpeg")
    String ffmpeg();

    @WithDefault("ffprobe")
    String ffprobe();

    @WithDefault("espeak-ng")
    String espeak();

    /** Festival, speaking English with the HTS voice cmu_us_slt_arctic_hts (Debian festival, festvox-us-slt-hts). */
    @WithDefault("festival")
    String festival();

    /** Draws the generated pictures (SVG to PNG; Debian librsvg2-bin). */
    @WithDefault("rsvg-convert")
    String rsvgConvert();

    /** Draws colour emoji with Noto Color Emoji (Debian pango1.0-tools, fonts-noto-color-emoji). */
    @WithDefault("pango-view")
    String pangoView();

    /** Unicode CLDR emoji annotations, one XML file per language (Debian unicode-cldr-core). */
    @WithDefault("/usr/share/unicode/cldr/common/annotations")
    String cldrAnnotations();

    /** Folder with DejaVu fonts (Latin, Greek, Cyrillic, Arabic, Hebrew). */
    @WithDefault("/usr/share/fonts/truetype/dejavu")
    String fontDir();

    /** Fallback font for CJK text. */
    @WithDefault("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
    String cjkFont();

    Pexels pexels();

    Assets assets();

    Library library();

    /** The normalise jobs of owners' uploads (asset.uploaded, docs/MEDIA-LIBRARY.md). */
    interface Assets {

        /** Originals probed and normalised at once in this instance (env RENDER_ASSETS_CONCURRENCY). */
        @WithDefault("1")
        int concurrency();

        /** Wall-clock limit of one normalise run; ffmpeg is killed when it is exceeded. */
        @WithDefault("5m")
        Duration timeout();

        /** Attempts before a job that keeps failing is given up (the asset is then rejected with the reason). */
        @WithDefault("3")
        int maxAttempts();

        /** How long the presigned GET of an original lasts (seconds). */
        @WithDefault("900")
        int urlSeconds();
    }

    /** The owner's media library as the first visual source and the music bed (index-service's search, storage's URLs). */
    interface Library {

        /** Whether scenes ask the owner's library first (env RENDER_LIBRARY_ENABLED). */
        @WithDefault("true")
        boolean enabled();

        /** Timeout of one index search or storage URL call. */
        @WithDefault("5s")
        Duration timeout();

        /** Largest normalised asset streamed to a render's scratch folder. */
        @WithDefault("104857600")
        long maxBytes();
    }

    /** Stock footage from Pexels, asked before the generated style when a key is set. */
    interface Pexels {

        /** The API key (env PEXELS_API_KEY); unset or blank = Pexels is not used. */
        Optional<String> apiKey();

        /** Where the API is (env RENDER_PEXELS_BASE_URL); the platform sandbox's stand-in in tests and locally. */
        @WithDefault("https://api.pexels.com")
        String baseUrl();

        /** Timeout of one search (downloads get six times this). */
        @WithDefault("10s")
        Duration timeout();

        /** After a 429 or a refused key, Pexels is not asked again for this long (its limit is per hour). */
        @WithDefault("15m")
        Duration backoff();
    }

    default int effectiveConcurrency() {
        return concurrency().filter(n -> n > 0).orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }
}
