package io.contentmachine.publish.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.publish.platform.instagram.InstagramMetadata;
import io.contentmachine.publish.platform.tiktok.TikTokMetadata;
import io.contentmachine.publish.platform.youtube.YouTubeMetadata;
import org.junit.jupiter.api.Test;

/** Per-platform limits, each in its own unit, cut only between grapheme clusters. */
class PlatformMetadataTest {

    private static final String FAMILY = "👨‍👩‍👧‍👦"; // 7 code points, 11 UTF-16 units, 25 UTF-8 bytes
    private static final String THUMB = "👍🏽"; // emoji + skin tone modifier: 2 code points
    private static final String E_ACUTE = "e\u0301"; // e + combining acute: 2 code points

    @Test
    void cutNeverSplitsAGraphemeCluster() {
        String text = "abc" + FAMILY + "def";
        assertEquals("abc", TextLimit.CODE_POINTS.cut(text, 9), "the family emoji needs 7 code points");
        assertEquals("abc" + FAMILY, TextLimit.CODE_POINTS.cut(text, 10));
        assertEquals("abc", TextLimit.UTF16_UNITS.cut(text, 13));
        assertEquals("abc" + FAMILY, TextLimit.UTF16_UNITS.cut(text, 14));
        assertEquals("abc", TextLimit.UTF8_BYTES.cut(text, 27));
        assertEquals("abc" + FAMILY, TextLimit.UTF8_BYTES.cut(text, 28));
        assertEquals("x", TextLimit.CODE_POINTS.cut("x" + THUMB, 2));
        assertEquals("x", TextLimit.CODE_POINTS.cut("x" + E_ACUTE, 2));
        assertEquals("x" + E_ACUTE, TextLimit.CODE_POINTS.cut("x" + E_ACUTE + "y", 3));
        assertEquals("héllo", TextLimit.UTF8_BYTES.cut("héllo wörld", 6));
        assertEquals("hé", TextLimit.UTF8_BYTES.cut("héllo", 3 + 0), "é is 2 bytes: 'h'+'é' = 3 bytes");
    }

    @Test
    void youtubeTitleCountsCodePointsAndKeepsTheEmojiAtTheCutWhole() {
        String title = "a".repeat(95) + FAMILY + "tail";
        PlatformMetadata adapted = YouTubeMetadata.adapt(metadata(title, "d", List.of(), List.of()));
        assertEquals("a".repeat(95), adapted.title(), "95 + 7 code points exceed 100: the whole emoji goes");
        String fits = "b".repeat(93) + FAMILY;
        assertEquals(fits, YouTubeMetadata.adapt(metadata(fits + "z", "", List.of(), List.of())).title());
        assertEquals("Untitled video", YouTubeMetadata.adapt(metadata("<>", "", List.of(), List.of())).title());
        assertEquals("a b", YouTubeMetadata.adapt(metadata("a <b>", "", List.of(), List.of())).title().replace("  ", " "));
    }

    @Test
    void youtubeDescriptionIsAtMost5000Utf8BytesOfWholeCharacters() {
        // 3-byte characters (Japanese) and 4-byte emoji: 5000 bytes is far fewer than 5000 characters
        String japanese = "日本語のテキスト".repeat(400);
        PlatformMetadata adapted = YouTubeMetadata.adapt(metadata("t", japanese + FAMILY, List.of(), List.of("#日本")));
        byte[] bytes = adapted.description().getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= 5000, "bytes: " + bytes.length);
        assertTrue(bytes.length > 4990, "cut close to the limit: " + bytes.length);
        assertTrue(adapted.description().endsWith("\n\n#日本"), "hashtags are kept at the end");
        assertEquals(adapted.description(), new String(bytes, StandardCharsets.UTF_8), "no broken character");
        assertFalse(adapted.description().contains("\uFFFD"));

        String emoji = THUMB.repeat(700); // 8 bytes each: 5600 bytes
        String cut = YouTubeMetadata.adapt(metadata("t", emoji, List.of(), List.of())).description();
        assertEquals(625 * 8, cut.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(THUMB.repeat(625), cut, "every thumb keeps its skin tone");
        assertFalse(YouTubeMetadata.adapt(metadata("t", "1 < 2 > 0", List.of(), List.of())).description().matches(".*[<>].*"));
    }

    @Test
    void youtubeTagsStayWithin500CharactersCountingCommasAndQuotes() {
        List<String> tags = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> tags.add("tag number " + i)); // 12-13 chars + 2 for quotes
        List<String> adapted = YouTubeMetadata.adapt(metadata("t", "", tags, List.of())).tags();
        int total = YouTubeMetadata.tagsLength(adapted);
        assertTrue(total <= 500, "total " + total);
        assertTrue(total > 480, "the budget is used: " + total);
        assertEquals(tags.subList(0, adapted.size()), adapted, "kept in order");
        assertEquals(14 + 2, YouTubeMetadata.tagCost("ocean life now"));
        assertEquals(List.of("a", "b c"), YouTubeMetadata.adapt(metadata("t", "", List.of("a", " ", "A", "<b c>"), List.of())).tags());
    }

    @Test
    void tiktokTitlePartIs100Utf16UnitsThenAtMost5Hashtags() {
        String title = "x".repeat(95) + FAMILY; // 95 + 11 UTF-16 units
        List<String> hashtags = List.of("#one", "two", "#three", "#four", "#five", "#six", "#one");
        PlatformMetadata adapted = TikTokMetadata.adapt(metadata(title, "", List.of(), hashtags));
        assertEquals("x".repeat(95), adapted.title());
        assertEquals("x".repeat(95) + " #one #two #three #four #five", adapted.text());
        assertTrue(adapted.text().length() <= 2200);
    }

    @Test
    void instagramCaptionKeeps30HashtagsWithin2200CodePoints() {
        List<String> hashtags = IntStream.rangeClosed(1, 31).mapToObj(i -> "#tag" + i).toList();
        String description = (E_ACUTE + THUMB + "word ").repeat(600);
        PlatformMetadata adapted = InstagramMetadata.adapt(metadata("Title", description, List.of(), hashtags));
        String caption = adapted.text();
        assertTrue(caption.codePointCount(0, caption.length()) <= 2200, "code points: " + caption.codePointCount(0, caption.length()));
        Matcher tags = Pattern.compile("#tag\\d+").matcher(caption);
        int count = 0;
        while (tags.find()) {
            count++;
        }
        assertEquals(30, count, "the 31st hashtag is dropped");
        assertFalse(caption.contains("#tag31"));
        assertTrue(caption.startsWith("Title\n\n"));
        assertTrue(caption.endsWith("#tag30"));
        // no half cluster before the hashtags: the description ends with a whole cluster
        String body = caption.substring(0, caption.indexOf("\n\n#tag1 "));
        assertFalse(body.endsWith("\u0301") && !body.endsWith(E_ACUTE));
        assertFalse(body.endsWith("\uD83D\uDC4D"), "a thumb without its skin tone");
    }

    @Test
    void aHashtagTheTextAlreadyCarriesIsNotAddedAgain() {
        VideoMetadata metadata = metadata("Octopus hearts #Ocean", "Three hearts, blue blood. #octopus #science, and more.",
                List.of(), List.of("#octopus", "ocean", "Science", "#marine", "octopus-facts"));
        assertEquals("Three hearts, blue blood. #octopus #science, and more.\n\n#ocean #marine",
                YouTubeMetadata.adapt(metadata).description(), "#octopus and #science are in the description already");
        assertEquals("Octopus hearts #Ocean\n\nThree hearts, blue blood. #octopus #science, and more.\n\n#marine",
                InstagramMetadata.adapt(metadata).text(), "title and description carry #ocean, #octopus and #science");
        assertEquals("Octopus hearts #Ocean #octopus #Science #marine", TikTokMetadata.adapt(metadata).text(),
                "#octopus-facts reads as #octopus");
        // once each: no hashtag appears twice in any of the three texts
        for (String text : List.of(YouTubeMetadata.adapt(metadata).description(), InstagramMetadata.adapt(metadata).text(),
                TikTokMetadata.adapt(metadata).text())) {
            List<String> seen = new ArrayList<>();
            Matcher tag = Pattern.compile("#([\\p{L}\\p{N}_]+)").matcher(text);
            while (tag.find()) {
                String word = tag.group(1).toLowerCase();
                assertFalse(seen.contains(word), "#" + word + " twice in: " + text);
                seen.add(word);
            }
        }
    }

    @Test
    void hashtagsInTheTextCountTowardsThePlatformsMaximum() {
        VideoMetadata metadata = metadata("#one #two #three #four a title", "", List.of(),
                List.of("#five", "#six", "#seven"));
        assertEquals("#one #two #three #four a title #five", TikTokMetadata.adapt(metadata).text(), "TikTok: at most 5 in all");
    }

    private static VideoMetadata metadata(String title, String description, List<String> tags, List<String> hashtags) {
        VideoMetadata metadata = new VideoMetadata();
        metadata.setTitle(title);
        metadata.setDescription(description);
        metadata.setTags(tags);
        metadata.setHashtags(hashtags);
        return metadata;
    }
}
