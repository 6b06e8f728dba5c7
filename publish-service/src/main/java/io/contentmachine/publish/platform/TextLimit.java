package io.contentmachine.publish.platform;

import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A length limit in one platform's own unit (code points, UTF-16 units or UTF-8 bytes) and a cut that never splits a
 * grapheme cluster. Clusters come from the regex {@code \X} (extended grapheme clusters): Java 17's BreakIterator
 * still splits emoji modifier and ZWJ sequences (👍🏽, 👨‍👩‍👧), which the regex keeps whole.
 */
public enum TextLimit {
    CODE_POINTS(s -> s.codePointCount(0, s.length())),
    UTF16_UNITS(String::length),
    UTF8_BYTES(s -> s.getBytes(StandardCharsets.UTF_8).length);

    private static final Pattern GRAPHEME = Pattern.compile("\\X");

    private final ToIntFunction<String> measure;

    TextLimit(ToIntFunction<String> measure) {
        this.measure = measure;
    }

    public int length(String text) {
        return text == null ? 0 : measure.applyAsInt(text);
    }

    /** The longest prefix of whole grapheme clusters that fits in {@code limit} units. */
    public String cut(String text, int limit) {
        if (text == null || limit <= 0) {
            return "";
        }
        if (length(text) <= limit) {
            return text;
        }
        Matcher clusters = GRAPHEME.matcher(text);
        int used = 0;
        int end = 0;
        while (clusters.find()) {
            int size = length(clusters.group());
            if (used + size > limit) {
                break;
            }
            used += size;
            end = clusters.end();
        }
        return text.substring(0, end);
    }
}
