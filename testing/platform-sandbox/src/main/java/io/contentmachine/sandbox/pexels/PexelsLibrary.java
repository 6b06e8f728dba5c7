package io.contentmachine.sandbox.pexels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.contentmachine.sandbox.transfer.UploadStore;

/**
 * The stand-in's stock library: a fixed catalogue of portrait and landscape videos and photos with tags, whose files are
 * real media made with ffmpeg the first time they are asked for (moving colour gradients for videos, a test pattern
 * for photos, each item in its own colours), at the sizes Pexels lists: a video's uhd, hd and sd renditions, a photo's
 * original and resized variants. Every file download is recorded, so tests can see which rendition a client took.
 */
@ApplicationScoped
public class PexelsLibrary {

    /** A video rendition: quality (uhd, hd, sd) and size. */
    public record Rendition(String quality, int width, int height) {
    }

    public record Video(long id, String slug, Set<String> tags, int width, int height, int seconds, String creator, long creatorId,
            String colour1, String colour2) {

        public List<Rendition> renditions() {
            boolean portrait = height > width;
            return List.of(new Rendition("uhd", portrait ? 2160 : 3840, portrait ? 3840 : 2160),
                    new Rendition("hd", portrait ? 1080 : 1920, portrait ? 1920 : 1080),
                    new Rendition("sd", portrait ? 540 : 960, portrait ? 960 : 540));
        }
    }

    public record Photo(long id, String slug, Set<String> tags, int width, int height, String photographer, long photographerId,
            String colour, String alt) {
    }

    /** Photo variants and the box each is resized into (Pexels' documented sizes); crop = cut to exactly that size. */
    public record Variant(String name, int width, int height, boolean crop) {
    }

    public static final List<Variant> VARIANTS = List.of(new Variant("original", 0, 0, false), new Variant("large2x", 1880, 1300, false),
            new Variant("large", 940, 650, false), new Variant("medium", 0, 350, false), new Variant("small", 0, 130, false),
            new Variant("portrait", 800, 1200, true), new Variant("landscape", 1200, 627, true), new Variant("tiny", 280, 200, true));

    static final List<Video> VIDEOS = List.of(
            new Video(5100101, "octopus-swimming-over-a-reef", Set.of("octopus", "ocean", "sea", "reef", "underwater", "water", "animal"),
                    2160, 3840, 6, "Maya Reef", 71001, "0x0a3d62", "0x38ada9"),
            new Video(5100102, "waves-in-deep-blue-water", Set.of("ocean", "sea", "water", "wave", "blue", "nature"),
                    2160, 3840, 5, "Tom Harbor", 71002, "0x1e3799", "0x82ccdd"),
            new Video(5100103, "jellyfish-glowing-in-the-dark", Set.of("jellyfish", "ocean", "sea", "underwater", "animal", "blood"),
                    2160, 3840, 7, "Maya Reef", 71001, "0x6a0572", "0xe84393"),
            new Video(5100104, "heart-monitor-beeping", Set.of("heart", "hearts", "health", "hospital", "blood", "science"),
                    3840, 2160, 6, "Lena Ward", 71003, "0xb71540", "0xf8c291"),
            new Video(5100105, "bees-on-a-sunflower", Set.of("bee", "flower", "garden", "nature", "sun", "insect"),
                    2160, 3840, 6, "Ivo Meadow", 71004, "0xf6b93b", "0x78e08f"),
            new Video(5100106, "city-street-at-night", Set.of("city", "street", "night", "traffic", "light"),
                    3840, 2160, 5, "Ken Avenue", 71005, "0x0c2461", "0xfa983a"),
            new Video(5100107, "forest-in-morning-fog", Set.of("forest", "tree", "nature", "green", "morning"),
                    2160, 3840, 8, "Ivo Meadow", 71004, "0x079992", "0xb8e994"),
            new Video(5100108, "stars-over-the-desert", Set.of("space", "star", "sky", "night", "universe"),
                    2160, 3840, 6, "Ken Avenue", 71005, "0x000000", "0x4a69bd"));

    static final List<Photo> PHOTOS = List.of(
            new Photo(6200201, "octopus-on-the-sand", Set.of("octopus", "ocean", "sea", "animal", "sand"), 4000, 6000, "Ana Coast",
                    81001, "0x3c6382", "An octopus resting on the sand"),
            new Photo(6200202, "anatomy-of-a-heart", Set.of("heart", "hearts", "health", "science", "blood", "anatomy"), 4000, 6000,
                    "Ruth Lab", 81002, "0xc0392b", "A model of a heart"),
            new Photo(6200203, "blue-coral-close-up", Set.of("coral", "ocean", "sea", "reef", "blue", "water"), 4000, 6000,
                    "Ana Coast", 81001, "0x0984e3", "Blue coral under water"),
            new Photo(6200204, "honeycomb", Set.of("bee", "honey", "insect", "nature"), 6000, 4000, "Ivo Meadow", 81003, "0xe1b12c",
                    "A honeycomb in the light"),
            new Photo(6200205, "coffee-cup-on-a-table", Set.of("coffee", "cup", "morning", "drink"), 4000, 6000, "Sam Brew", 81004,
                    "0x6d4c41", "A cup of coffee"),
            new Photo(6200206, "science-laboratory", Set.of("science", "lab", "laboratory", "brain", "research"), 4000, 6000,
                    "Ruth Lab", 81002, "0x00cec9", "Glassware in a laboratory"));

    @Inject
    UploadStore store;

    private final List<String> downloads = new CopyOnWriteArrayList<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public List<Video> videos(String query, String orientation) {
        return search(VIDEOS, query, orientation, Video::tags, v -> v.height() > v.width(), v -> v.width() == v.height(), Video::id);
    }

    public List<Photo> photos(String query, String orientation) {
        return search(PHOTOS, query, orientation, Photo::tags, p -> p.height() > p.width(), p -> p.width() == p.height(), Photo::id);
    }

    public Optional<Video> video(long id) {
        return VIDEOS.stream().filter(v -> v.id() == id).findFirst();
    }

    public Optional<Photo> photo(long id) {
        return PHOTOS.stream().filter(p -> p.id() == id).findFirst();
    }

    /** Files downloaded since the start or the last {@link #clearDownloads()}, as their paths (e.g. videos/5100101/hd.mp4). */
    public List<String> downloads() {
        return List.copyOf(downloads);
    }

    void reset(@jakarta.enterprise.event.Observes UploadStore.SandboxReset reset) {
        downloads.clear();
    }

    /** The file of a video rendition, made on first use. */
    public Path videoFile(Video video, Rendition r) throws IOException, InterruptedException {
        String name = "videos/" + video.id() + "/" + r.quality() + ".mp4";
        downloads.add(name);
        return make(name, List.of("-f", "lavfi", "-i", String.format(Locale.ROOT,
                "gradients=s=%dx%d:r=25:d=%d:c0=%s:c1=%s:speed=0.03:n=2,drawbox=x='iw/2-iw/6+iw/8*sin(t)':y='ih/3':w=iw/3:h=iw/3"
                        + ":color=white@0.35:t=fill", r.width(), r.height(), video.seconds(), video.colour1(), video.colour2()),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart"));
    }

    /** The file of a photo variant, made on first use. */
    public Path photoFile(Photo photo, Variant v) throws IOException, InterruptedException {
        String name = "photos/" + photo.id() + "/" + v.name() + ".jpeg";
        downloads.add(name);
        int[] size = size(photo, v);
        // testsrc2 draws even sizes only: drawn one pixel wider when odd, then scaled to the exact size (4:4:4 JPEG)
        return make(name, List.of("-f", "lavfi", "-i", String.format(Locale.ROOT,
                "testsrc2=s=%dx%d:d=1,hue=h=%d,drawbox=x=0:y=0:w=iw:h=ih/3:color=%s@0.8:t=fill,scale=%d:%d,format=yuvj444p",
                size[0] + size[0] % 2, size[1] + size[1] % 2, (int) (photo.id() % 360), photo.colour(), size[0], size[1]),
                "-frames:v", "1", "-q:v", "4"));
    }

    /** Pixel size of a variant: resized into its box keeping the aspect ratio, or cropped to it. */
    public static int[] size(Photo photo, Variant v) {
        if (v.crop()) {
            return new int[] {v.width(), v.height()};
        }
        if (v.width() == 0 && v.height() == 0) {
            return new int[] {photo.width(), photo.height()};
        }
        double scale = v.width() == 0 ? v.height() / (double) photo.height()
                : Math.min(v.width() / (double) photo.width(), v.height() / (double) photo.height());
        return new int[] {(int) Math.round(photo.width() * scale), (int) Math.round(photo.height() * scale)};
    }

    private Path make(String name, List<String> source) throws IOException, InterruptedException {
        Path file = store.dataDir().resolve("pexels").resolve(name);
        synchronized (locks.computeIfAbsent(name, n -> new Object())) {
            if (Files.isRegularFile(file)) {
                return file;
            }
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("new-" + file.getFileName());
            List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y"));
            command.addAll(source);
            command.add(tmp.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("ffmpeg could not make " + name);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        }
    }

    private static <T> boolean matchesOrientation(T item, String orientation, java.util.function.Predicate<T> portrait,
            java.util.function.Predicate<T> square) {
        if (orientation == null || orientation.isBlank()) {
            return true;
        }
        return switch (orientation) {
            case "portrait" -> portrait.test(item);
            case "square" -> square.test(item);
            default -> !portrait.test(item) && !square.test(item);
        };
    }

    private static <T> List<T> search(List<T> items, String query, String orientation, java.util.function.Function<T, Set<String>> tags,
            java.util.function.Predicate<T> portrait, java.util.function.Predicate<T> square, java.util.function.ToLongFunction<T> id) {
        List<String> words = words(query);
        List<T> found = new ArrayList<>();
        for (T item : items) {
            if (matchesOrientation(item, orientation, portrait, square) && score(tags.apply(item), words) > 0) {
                found.add(item);
            }
        }
        found.sort(Comparator.<T>comparingInt(item -> -score(tags.apply(item), words)).thenComparingLong(id));
        return found;
    }

    private static int score(Set<String> tags, List<String> words) {
        int score = 0;
        for (String w : words) {
            // plurals find their singular tag (octopuses, hearts), as Pexels' search does
            if (tags.contains(w) || (w.endsWith("s") && tags.contains(w.substring(0, w.length() - 1)))
                    || (w.endsWith("es") && tags.contains(w.substring(0, w.length() - 2)))) {
                score++;
            }
        }
        return score;
    }

    private static List<String> words(String query) {
        List<String> words = new ArrayList<>();
        for (String w : (query == null ? "" : query).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isBlank()) {
                words.add(w);
            }
        }
        return words;
    }
}
