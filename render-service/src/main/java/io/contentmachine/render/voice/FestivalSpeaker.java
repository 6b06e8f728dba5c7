package io.contentmachine.render.voice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.contentmachine.render.video.ProcessRunner;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;

/**
 * Speaks English with Festival and the HTS voice cmu_us_slt_arctic_hts (Debian festvox-us-slt-hts): far more natural than
 * espeak-ng's formant synthesis, and it reports when each word is spoken (its Token and Word relations). All texts of a
 * narration are spoken by one festival process, since loading the voice takes about a second. Pace is the HTS engine's
 * speech rate ({@code -r}); Festival's own pauses after commas are short, so they are lengthened here.
 */
public class FestivalSpeaker implements Speaker {

    /** Shortest silence after a word that ends a clause (comma, colon...) and one that ends a sentence. */
    static final double CLAUSE_PAUSE = 0.22;
    static final double SENTENCE_PAUSE = 0.42;

    private final String festival;

    public FestivalSpeaker(String festival) {
        this.festival = festival;
    }

    @Override
    public Wav speak(String text, Voice voice, double pace, Path dir, String name, RenderControl control) {
        return speakTimed(text, voice, pace, dir, name, control).wav();
    }

    @Override
    public Speech speakTimed(String text, Voice voice, double pace, Path dir, String name, RenderControl control) {
        return speakAll(List.of(text), voice, pace, dir, name, control).get(0);
    }

    /** Speaks each text into {@code <prefix>-<n>.wav} (n from 1) with one festival run. */
    @Override
    public List<Speech> speakAll(List<String> texts, Voice voice, double pace, Path dir, String prefix, RenderControl control) {
        List<List<String>> words = new ArrayList<>();
        StringBuilder scheme = new StringBuilder("(voice_cmu_us_slt_arctic_hts)\n");
        scheme.append(String.format(Locale.ROOT, "(set! hts_engine_params (append hts_engine_params (list '(\"-r\" %.3f))))%n",
                Math.max(0.5, Math.min(2.0, pace))));
        scheme.append("""
                (define (cm_tokens tok)
                  (if tok (begin
                    (let ((start -1) (end -1))
                      (mapcar (lambda (w) (if (> (item.feat w "word_end") 0) (begin
                          (if (< start 0) (set! start (item.feat w "R:SylStructure.daughter1.daughter1.R:Segment.p.end")))
                          (set! end (item.feat w "word_end"))))) (item.daughters tok))
                      (format t "T\\t%f\\t%f\\n" start end))
                    (cm_tokens (item.next tok)))))
                """);
        for (int i = 0; i < texts.size(); i++) {
            List<String> spoken = speakable(texts.get(i));
            words.add(spoken);
            String wav = prefix + "-" + (i + 1) + ".wav";
            scheme.append("(format t \"S\\t").append(i).append("\\n\")\n")
                    .append("(set! utt (eval (list 'Utterance 'Text ").append(literal(String.join(" ", spoken))).append(")))\n")
                    .append("(utt.synth utt)\n")
                    .append("(utt.save.wave utt \"").append(wav).append("\" 'riff)\n")
                    .append("(cm_tokens (utt.relation.first utt 'Token))\n");
        }
        Path script = dir.resolve(prefix + ".scm");
        try {
            Files.writeString(script, scheme, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RenderException("voice", "cannot write the festival script: " + e.getMessage(), true);
        }
        ProcessRunner.Result result = ProcessRunner.run(List.of(festival, "-b", script.getFileName().toString()), dir, control, "voice");
        List<List<double[]>> times = parse(result.stdout(), texts.size());
        List<Speech> speeches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Wav wav;
            try {
                wav = Wav.read(dir.resolve(prefix + "-" + (i + 1) + ".wav"));
            } catch (IOException e) {
                throw new RenderException("voice", "festival wrote no audio for text " + (i + 1) + ": " + e.getMessage()
                        + (result.stderrTail().isBlank() ? "" : " (" + result.stderrTail() + ")"), false);
            }
            if (wav.seconds() < 0.05) {
                throw new RenderException("voice", "festival spoke nothing for text " + (i + 1), false);
            }
            speeches.add(withPauses(wav, align(texts.get(i), words.get(i), times.get(i))));
        }
        return speeches;
    }

    /**
     * The text's words as festival should read them: characters outside Latin-1 (which festival cannot read) removed;
     * a word left without letters or digits is dropped (it gets the time of its neighbour).
     */
    static List<String> speakable(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.strip().split("\\s+")) {
            String kept = readable(word);
            if (kept != null) {
                words.add(kept);
            }
        }
        if (words.isEmpty()) {
            throw new RenderException("voice", "nothing festival can read in: " + text, false);
        }
        return words;
    }

    /** The word without what festival cannot read, or null when nothing readable is left. */
    private static String readable(String word) {
        StringBuilder kept = new StringBuilder();
        word.codePoints().filter(cp -> cp >= 0x20 && cp < 0x100 && cp != 0x7f).forEach(kept::appendCodePoint);
        return kept.codePoints().anyMatch(Character::isLetterOrDigit) ? kept.toString() : null;
    }

    /** A Scheme string literal (festival's reader knows the escapes \" and \\). */
    static String literal(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static List<List<double[]>> parse(String stdout, int texts) {
        List<List<double[]>> times = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.strip().split("\t");
            if (f[0].equals("S") && f.length == 2) {
                times.add(new ArrayList<>());
            } else if (f[0].equals("T") && f.length == 3 && !times.isEmpty()) {
                times.get(times.size() - 1).add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
            }
        }
        if (times.size() != texts) {
            throw new RenderException("voice", "festival reported " + times.size() + " of " + texts + " texts", false);
        }
        return times;
    }

    /**
     * Each written word with its time: festival gives one token per word it read (times -1 when a token yielded no
     * spoken word); words it could not read take the end of the word before. Empty when the counts disagree.
     */
    static List<TimedWord> align(String text, List<String> spoken, List<double[]> tokens) {
        if (tokens.size() != spoken.size()) {
            return List.of();
        }
        List<TimedWord> timed = new ArrayList<>();
        int next = 0;
        double last = 0;
        for (String word : text.strip().split("\\s+")) {
            if (next < spoken.size() && readable(word) != null) {
                double[] t = tokens.get(next++);
                double start = t[0] < 0 ? last : Math.max(last, t[0]);
                double end = t[1] < 0 ? start : Math.max(start, t[1]);
                timed.add(new TimedWord(word, start, end));
                last = end;
            } else {
                timed.add(new TimedWord(word, last, last));
            }
        }
        return next == spoken.size() ? timed : List.of();
    }

    /** Lengthens the silence after clause and sentence ends to at least {@link #CLAUSE_PAUSE} / {@link #SENTENCE_PAUSE}. */
    static Speech withPauses(Wav wav, List<TimedWord> words) {
        if (words.isEmpty()) {
            return Speech.untimed(wav);
        }
        List<int[]> inserts = new ArrayList<>(); // sample position, samples of silence
        for (int i = 0; i + 1 < words.size(); i++) {
            String w = words.get(i).text();
            double want = w.matches(".*[.!?…][\"'”»)]*$") ? SENTENCE_PAUSE : w.matches(".*[,;:–—][\"'”»)]*$") ? CLAUSE_PAUSE : 0;
            double gap = words.get(i + 1).start() - words.get(i).end();
            if (want > gap + 0.02) {
                inserts.add(new int[] {(int) Math.round(words.get(i).end() * wav.sampleRate()),
                        (int) Math.round((want - gap) * wav.sampleRate())});
            }
        }
        if (inserts.isEmpty()) {
            return new Speech(wav, words);
        }
        short[] in = wav.samples();
        int added = inserts.stream().mapToInt(x -> x[1]).sum();
        short[] out = new short[in.length + added];
        int from = 0;
        int to = 0;
        for (int[] insert : inserts) {
            int at = Math.min(in.length, Math.max(from, insert[0]));
            System.arraycopy(in, from, out, to, at - from);
            to += at - from + insert[1];
            from = at;
        }
        System.arraycopy(in, from, out, to, in.length - from);
        List<TimedWord> shifted = new ArrayList<>();
        double shift = 0;
        int k = 0;
        for (TimedWord word : words) {
            shifted.add(word.shifted(shift));
            while (k < inserts.size() && inserts.get(k)[0] <= Math.round(word.end() * wav.sampleRate())) {
                shift += inserts.get(k++)[1] / (double) wav.sampleRate();
            }
        }
        return new Speech(new Wav(wav.sampleRate(), out), shifted);
    }

    @Override
    public String toString() {
        return "festival (cmu_us_slt_arctic_hts)";
    }
}
