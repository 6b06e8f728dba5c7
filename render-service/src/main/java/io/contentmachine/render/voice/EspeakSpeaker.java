package io.contentmachine.render.voice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.contentmachine.render.video.ProcessRunner;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;

/** Speaks text with espeak-ng into a WAV file. The text goes through a file, never the command line. */
public class EspeakSpeaker implements Speaker {

    /** espeak-ng's words per minute when the script is spoken at its natural pace. */
    public static final int BASE_WPM = 170;

    private final String espeak;

    public EspeakSpeaker(String espeak) {
        this.espeak = espeak;
    }

    @Override
    public Wav speak(String text, Voice voice, double pace, Path dir, String name, RenderControl control) {
        int wordsPerMinute = (int) Math.round(Math.max(80, Math.min(450, BASE_WPM * pace)));
        Path textFile = dir.resolve(name + ".txt");
        Path wav = dir.resolve(name + ".wav");
        try {
            Files.writeString(textFile, text, StandardCharsets.UTF_8);
            ProcessRunner.run(List.of(espeak, "-v", voice.espeakVoice(), "-s", String.valueOf(wordsPerMinute), "-b", "1",
                    "-f", textFile.toString(), "-w", wav.toString()), dir, control, "voice");
            return Wav.read(wav);
        } catch (IOException e) {
            throw new RenderException("voice", "espeak-ng output unreadable: " + e.getMessage(), false);
        } catch (UncheckedIOException e) {
            throw new RenderException("voice", e.getMessage(), true);
        }
    }
}
