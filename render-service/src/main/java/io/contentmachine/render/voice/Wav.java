package io.contentmachine.render.voice;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** 16-bit PCM mono WAV audio (what espeak-ng writes): read, measure, find speech, concatenate. */
public record Wav(int sampleRate, short[] samples) {

    public static Wav read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.remaining() < 12 || buf.getInt(0) != 0x46464952 || buf.getInt(8) != 0x45564157) {
            throw new IOException(file + " is not a WAV file");
        }
        int pos = 12;
        int rate = 0;
        int channels = 1;
        int bits = 16;
        int format = 1;
        while (pos + 8 <= buf.limit()) {
            int id = buf.getInt(pos);
            int size = buf.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                format = buf.getShort(body);
                channels = buf.getShort(body + 2);
                rate = buf.getInt(body + 4);
                bits = buf.getShort(body + 14);
            } else if (id == 0x61746164) { // "data"
                if (format != 1 || bits != 16 || channels != 1) {
                    throw new IOException("expected 16-bit mono PCM, got format " + format + ", " + bits + " bit, " + channels
                            + " channel(s)");
                }
                // espeak-ng streams to stdout with a placeholder size: take what is there
                int length = size <= 0 || body + size > buf.limit() ? buf.limit() - body : size;
                short[] samples = new short[length / 2];
                buf.position(body);
                buf.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
                return new Wav(rate, samples);
            }
            pos = body + size + (size & 1);
        }
        throw new IOException(file + " has no audio data");
    }

    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    /** Spans of speech (start, end in seconds): runs of 10 ms windows louder than a threshold, split by pauses. */
    public List<double[]> speechSpans(double minPauseSeconds) {
        int window = Math.max(1, sampleRate / 100);
        int windows = samples.length / window;
        java.util.ArrayList<double[]> spans = new java.util.ArrayList<>();
        int start = -1;
        int lastLoud = -1;
        int minPause = (int) Math.round(minPauseSeconds * 100);
        for (int w = 0; w < windows; w++) {
            long sum = 0;
            for (int i = w * window; i < (w + 1) * window; i++) {
                sum += (long) samples[i] * samples[i];
            }
            boolean loud = Math.sqrt(sum / (double) window) > 300;
            if (loud) {
                if (start < 0) {
                    start = w;
                } else if (w - lastLoud > minPause) {
                    spans.add(new double[] {start / 100.0, (lastLoud + 1) / 100.0});
                    start = w;
                }
                lastLoud = w;
            }
        }
        if (start >= 0) {
            spans.add(new double[] {start / 100.0, (lastLoud + 1) / 100.0});
        }
        return spans;
    }

    /** Writes the parts one after another, with {@code gapSeconds} of silence after each. */
    public static double concat(List<Wav> parts, double gapSeconds, Path target) throws IOException {
        int rate = parts.get(0).sampleRate();
        int gap = (int) Math.round(gapSeconds * rate);
        long total = 0;
        for (Wav part : parts) {
            if (part.sampleRate() != rate) {
                throw new IOException("sample rates differ: " + rate + " and " + part.sampleRate());
            }
            total += part.samples().length + gap;
        }
        long dataBytes = total * 2;
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0x46464952).putInt((int) (36 + dataBytes)).putInt(0x45564157)
                .putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16)
                .putInt(0x61746164).putInt((int) dataBytes);
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(header.array());
            byte[] silence = new byte[gap * 2];
            for (Wav part : parts) {
                ByteBuffer pcm = ByteBuffer.allocate(part.samples().length * 2).order(ByteOrder.LITTLE_ENDIAN);
                pcm.asShortBuffer().put(part.samples());
                out.write(pcm.array());
                out.write(silence);
            }
        }
        return total / (double) rate;
    }
}
