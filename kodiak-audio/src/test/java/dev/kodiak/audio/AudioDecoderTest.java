package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.audio.AudioDecodeException.Reason;
import dev.kodiak.audio.TestSounds.Pcm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AudioDecoderTest {
    @TempDir
    Path dir;

    private final AudioDecoder decoder = AudioDecoder.standard();

    @ParameterizedTest
    @EnumSource(Pcm.class)
    void everyPcmEncodingDecodesToTheSamplesWritten(Pcm pcm) throws IOException {
        float[] tone = TestSounds.tone(440, 0.25, 22050, 0.5);
        for (boolean extensible : new boolean[] {false, true}) {
            Path f = TestSounds.wav(dir.resolve(pcm + "-" + extensible + ".wav"), 22050, pcm, extensible, tone);
            AudioClip clip = decoder.decode(f);
            assertThat(clip.sampleRate()).isEqualTo(22050);
            assertThat(clip.length()).isEqualTo(tone.length);
            double quantum = pcm == Pcm.U8 ? 1 / 64.0 : pcm == Pcm.S16 ? 1e-4 : 1e-6;
            for (int i = 0; i < tone.length; i += 97) {
                assertThat(clip.samples()[i]).as("%s sample %d", pcm, i).isCloseTo(tone[i], within((float) quantum));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 16000, 44100, 48000, 96000})
    void anySampleRateIsKept(int rate) throws IOException {
        Path f = TestSounds.wav(dir.resolve(rate + ".wav"), rate, Pcm.S16, false, TestSounds.tone(300, 0.1, rate, 0.3));
        AudioClip clip = decoder.decode(f);
        assertThat(clip.sampleRate()).isEqualTo(rate);
        assertThat(clip.seconds()).isCloseTo(0.1, within(1.0 / rate));
    }

    @Test
    void severalChannelsAreAveragedIntoOne() throws IOException {
        float[] left = TestSounds.tone(440, 0.2, 16000, 0.8);
        float[] right = new float[left.length];
        float[] third = TestSounds.noise(left.length, 0.1, 3);
        Path stereo = TestSounds.wav(dir.resolve("stereo.wav"), 16000, Pcm.F32, false, left, right);
        Path three = TestSounds.wav(dir.resolve("three.wav"), 16000, Pcm.S24, true, left, right, third);
        float[] s = decoder.decode(stereo).samples();
        float[] t = decoder.decode(three).samples();
        for (int i = 0; i < left.length; i += 31) {
            assertThat(s[i]).isCloseTo(left[i] / 2, within(1e-6f));
            assertThat(t[i]).isCloseTo((left[i] + third[i]) / 3, within(1e-6f));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"flac", "mp3", "ogg", "m4a", "opus"})
    void everyContainerDecodesTheToneItHolds(String ext) throws Exception {
        TestSounds.assumeFfmpeg();
        int rate = 48000; // Opus only runs at 48 kHz: one rate keeps the comparison simple
        float[] chirp = TestSounds.chirp(200, 2000, 1.0, rate, 0.5);
        float[] right = TestSounds.tone(500, 1.0, rate, 0.2);
        Path src = TestSounds.wav(dir.resolve("src.wav"), rate, Pcm.S16, false, chirp, right);
        Path f = TestSounds.encode(src, dir.resolve("clip." + ext));
        AudioClip clip = decoder.decode(f);
        assertThat(clip.sampleRate()).isEqualTo(rate);
        assertThat(clip.seconds()).isCloseTo(1.0, within(0.08));
        float[] expected = new float[chirp.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (chirp[i] + right[i]) / 2;
        }
        double energy = TestSounds.rms(expected, new float[expected.length], 0, expected.length);
        double got = TestSounds.rms(clip.samples(), new float[clip.length()], 0, clip.length());
        assertThat(got).as("RMS of the decoded %s", ext).isCloseTo(energy, within(0.1 * energy));
        if (ext.equals("flac")) { // lossless: exactly the 16-bit samples
            assertThat(clip.length()).isEqualTo(chirp.length);
            assertThat(TestSounds.rms(clip.samples(), expected, 0, expected.length)).isLessThan(1e-4);
        }
    }

    @Test
    void namesWithSpacesAccentsAndUrlCharactersAreOpenedLiterally() throws IOException {
        Path f = TestSounds.wav(dir.resolve("été 50% #1?.wav"), 8000, Pcm.S16, false, TestSounds.tone(440, 0.1, 8000, 0.5));
        assertThat(decoder.decode(f).length()).isEqualTo(800);
    }

    @Test
    void anEmptyFileIsEmpty() throws IOException {
        assertReason(Files.write(dir.resolve("a.wav"), new byte[0]), Reason.EMPTY, "empty");
    }

    @Test
    void aHeaderWithoutSamplesIsEmpty() throws IOException {
        Path f = TestSounds.wav(dir.resolve("none.wav"), 16000, Pcm.S16, false, new float[0]);
        assertReason(f, Reason.EMPTY, "no samples");
    }

    @Test
    void aWavCutShortOfItsHeaderIsTruncated() throws IOException {
        Path f = TestSounds.wav(dir.resolve("cut.wav"), 16000, Pcm.S16, false, TestSounds.tone(440, 2, 16000, 0.5));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, 44 + 2 * 8000)); // a whole number of frames: 0.5 s of the declared 2 s
        assertReason(f, Reason.TRUNCATED, "0.50 s of the 2.00 s its header declares");
    }

    @Test
    void aFlacCutShortIsTruncated() throws Exception {
        TestSounds.assumeFfmpeg();
        Path src = TestSounds.wav(dir.resolve("src.wav"), 16000, Pcm.S16, false, TestSounds.noiseBursts(2, 16000, 0.3, 1));
        Path f = TestSounds.encode(src, dir.resolve("cut.flac"));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        assertReason(f, Reason.TRUNCATED, "truncated");
    }

    @Test
    void textRandomBytesAndImagesAreNotAudio() throws IOException {
        assertReason(Files.writeString(dir.resolve("page.mp3"), "<!DOCTYPE html><html><body>Not found</body></html>"),
                Reason.NOT_AUDIO, "not in a sound format");
        byte[] noise = new byte[20000];
        new Random(7).nextBytes(noise);
        assertThatThrownBy(() -> decoder.decode(Files.write(dir.resolve("noise.wav"), noise)))
                .isInstanceOfSatisfying(AudioDecodeException.class,
                        e -> assertThat(e.reason()).isIn(Reason.NOT_AUDIO, Reason.UNSUPPORTED));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertReason(Files.write(dir.resolve("picture.ogg"), png), Reason.NOT_AUDIO, "");
    }

    @Test
    void aHeaderDeclaringHoursIsTooLongBeforeDecoding() throws IOException {
        // a "bomb": 64 bytes that declare 6 hours of 16-bit stereo at 48 kHz
        Path f = TestSounds.wav(dir.resolve("bomb.wav"), 48000, Pcm.S16, false, new float[8], new float[8]);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        int declared = 6 * 3600 * 48000 * 4;
        b.putInt(4, declared + 36).putInt(40, declared);
        Files.write(f, b.array());
        assertReason(f, Reason.TOO_LONG, "declares 21600.0 s");
    }

    @Test
    void aClipOverTheLimitIsTooLongEvenWithoutAHeaderSayingSo() throws IOException {
        Path f = TestSounds.wav(dir.resolve("long.wav"), 8000, Pcm.S16, false, TestSounds.tone(100, 3, 8000, 0.5));
        AudioDecoder strict = AudioDecoder.withMaxSeconds(2);
        assertThatThrownBy(() -> strict.decode(f)).isInstanceOfSatisfying(AudioDecodeException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LONG));
        // the streaming check alone: a header whose data size is unknown (0xFFFFFFFF, as streaming writers leave it)
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4, -1).putInt(40, -1);
        Files.write(f, b.array());
        assertThatThrownBy(() -> strict.decode(f)).isInstanceOfSatisfying(AudioDecodeException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LONG));
        assertThat(AudioDecoder.withMaxSeconds(4).decode(f).seconds()).isCloseTo(3, within(1e-3));
    }

    @Test
    void aCodecKodiakCannotDecodeIsUnsupported() throws IOException {
        Path f = TestSounds.wav(dir.resolve("odd.wav"), 16000, Pcm.S16, false, TestSounds.tone(440, 0.1, 16000, 0.5));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(20, (short) 0x7A7A); // a WAVE format tag no codec claims
        Files.write(f, b.array());
        assertReason(f, Reason.UNSUPPORTED, "codec");
    }

    @Test
    void reasonCodesAreTheQuarantineNames() {
        assertThat(Arrays.stream(Reason.values()).map(Reason::code))
                .containsExactly("empty", "truncated", "not-audio", "too-long", "unsupported");
    }

    @Test
    void aMissingFileIsAPlainErrorNotABadFile() {
        assertThatThrownBy(() -> decoder.decode(dir.resolve("nope.wav")))
                .isNotInstanceOf(AudioDecodeException.class).hasMessageContaining("does not exist");
    }

    private void assertReason(Path f, Reason reason, String detail) {
        assertThatThrownBy(() -> decoder.decode(f)).isInstanceOfSatisfying(AudioDecodeException.class, e -> {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
            assertThat(e.getMessage()).startsWith("cannot read audio " + f).contains(detail);
            assertThat(e.path()).isEqualTo(f);
        });
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
