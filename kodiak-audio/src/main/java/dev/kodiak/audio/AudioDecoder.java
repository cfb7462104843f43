package dev.kodiak.audio;

import static dev.kodiak.audio.AudioDecodeException.Reason.EMPTY;
import static dev.kodiak.audio.AudioDecodeException.Reason.NOT_AUDIO;
import static dev.kodiak.audio.AudioDecodeException.Reason.TOO_LONG;
import static dev.kodiak.audio.AudioDecodeException.Reason.TRUNCATED;
import static dev.kodiak.audio.AudioDecodeException.Reason.UNSUPPORTED;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * Decodes sound files with FFmpeg (libavformat + libavcodec through JavaCPP's presets) into mono {@link AudioClip}s
 * at the file's own sample rate: any rate, 8/16/24/32-bit integer and 32/64-bit float PCM (WAVE_FORMAT_EXTENSIBLE
 * included), FLAC, MP3, Ogg Vorbis/Opus, AAC in M4A; several channels are averaged into one.
 *
 * <p>A file that cannot be used fails with an {@link AudioDecodeException} whose reason says why ({@code empty},
 * {@code truncated}, {@code not-audio}, {@code too-long}, {@code unsupported}). Memory is bounded by the limit of
 * seconds: a header declaring more is refused before decoding, and decoding stops as soon as more samples arrive than
 * the limit allows (a header that lies low). Only local files are opened, and only through the demuxers of the
 * formats Kodiak reads: playlists and other demuxers that could open further files or URLs are refused.
 */
public final class AudioDecoder {
    /** The default limit of seconds per file (the CLI's {@code --max-seconds}). */
    public static final double DEFAULT_MAX_SECONDS = 600;
    /** Higher sample rates are refused as unsupported: with the limit of seconds this bounds a clip's memory (600 s at 192 kHz is 460 MB of floats). */
    public static final int MAX_SAMPLE_RATE = 192_000;

    // FFmpeg's names of the demuxers of EXTENSIONS' formats (mov serves m4a; matroska serves opus-in-webm renamed).
    private static final String DEMUXERS = "wav,w64,flac,mp3,ogg,mov,mp4,m4a,matroska,webm";
    private static final long WAV_PROBE_BYTES = 32; // FFmpeg's minimum
    private static final int PCM_FIRST = avcodec.AV_CODEC_ID_PCM_S16LE;
    private static final int PCM_LAST = avcodec.AV_CODEC_ID_PCM_S16LE + 0x800 - 1; // FFmpeg's block of PCM codec ids

    static {
        FFmpeg.init();
    }

    private final double maxSeconds;

    private AudioDecoder(double maxSeconds) {
        if (!(maxSeconds > 0) || Double.isInfinite(maxSeconds)) {
            throw new KodiakException("the limit of seconds per sound file must be positive and finite, got "
                    + maxSeconds);
        }
        this.maxSeconds = maxSeconds;
    }

    /** A decoder refusing files longer than {@link #DEFAULT_MAX_SECONDS}. */
    public static AudioDecoder standard() {
        return new AudioDecoder(DEFAULT_MAX_SECONDS);
    }

    /** A decoder refusing files longer than {@code maxSeconds}. */
    public static AudioDecoder withMaxSeconds(double maxSeconds) {
        return new AudioDecoder(maxSeconds);
    }

    public double maxSeconds() {
        return maxSeconds;
    }

    /** Decodes {@code file} into a mono clip at its own sample rate. */
    public AudioClip decode(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new KodiakException("sound file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new KodiakException("cannot read sound file " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new AudioDecodeException(file, EMPTY, "the file is empty (0 bytes; a failed download?)");
        }
        AVFormatContext fmt = new AVFormatContext(null);
        AVDictionary options = new AVDictionary(null);
        avutil.av_dict_set(options, "protocol_whitelist", "file", 0);
        avutil.av_dict_set(options, "format_whitelist", DEMUXERS, 0);
        try (BytePointer url = new BytePointer("file:" + file.toAbsolutePath(), "UTF-8")) {
            int ret = avformat.avformat_open_input(fmt, url, null, options);
            if (ret < 0) {
                throw new AudioDecodeException(file, NOT_AUDIO, "it is not in a sound format Kodiak reads ("
                        + AudioFiles.EXTENSIONS.stream().sorted().toList() + "): " + FFmpeg.describe(ret));
            }
            try {
                return decodeOpened(file, fmt);
            } finally {
                avformat.avformat_close_input(fmt);
            }
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e); // UTF-8 is always there
        } finally {
            avutil.av_dict_free(options);
        }
    }

    private AudioClip decodeOpened(Path file, AVFormatContext fmt) {
        if ("wav".equals(fmt.iformat().name().getString())) {
            // FFmpeg re-probes 16-bit PCM in WAV with every demuxer on every doubling of the data read, looking for
            // S/PDIF-wrapped AC-3/DTS, up to probesize (5 MB): 10x the cost of the decoding itself
            // (bench/results/audio-compare-2026-12-07-epyc.txt). The header has said what the stream is; Kodiak
            // decodes such rare files as the PCM they declare.
            fmt.probesize(WAV_PROBE_BYTES);
        }
        int ret = avformat.avformat_find_stream_info(fmt, (AVDictionary) null);
        if (ret < 0) {
            throw new AudioDecodeException(file, NOT_AUDIO, "no stream could be read from it: " + FFmpeg.describe(ret));
        }
        int index = avformat.av_find_best_stream(fmt, avutil.AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
        if (index == avutil.AVERROR_DECODER_NOT_FOUND()) {
            throw new AudioDecodeException(file, UNSUPPORTED, "its sound is in a codec Kodiak cannot decode");
        }
        if (index < 0) {
            throw new AudioDecodeException(file, NOT_AUDIO, "it holds no sound track ("
                    + fmt.iformat().name().getString() + " with " + fmt.nb_streams() + " stream(s), none audio)");
        }
        AVStream stream = fmt.streams(index);
        AVCodecParameters par = stream.codecpar();
        AVCodec codec = avcodec.avcodec_find_decoder(par.codec_id());
        if (codec == null || par.codec_id() == avcodec.AV_CODEC_ID_NONE) {
            throw new AudioDecodeException(file, UNSUPPORTED, "its sound is in a codec Kodiak cannot decode"
                    + " (codec tag " + par.codec_tag() + ")");
        }
        int rate = par.sample_rate();
        if (rate <= 0 || rate > MAX_SAMPLE_RATE) {
            throw new AudioDecodeException(file, UNSUPPORTED, "its sample rate of " + rate
                    + " Hz is outside 1.." + MAX_SAMPLE_RATE);
        }
        long declared = declaredFrames(file, fmt, stream, rate);
        if (declared > maxSeconds * rate) {
            throw new AudioDecodeException(file, TOO_LONG, String.format(Locale.ROOT,
                    "its header declares %.1f s, over the limit of %.0f s (raise --max-seconds for long recordings)",
                    declared / (double) rate, maxSeconds));
        }
        AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
        try {
            ret = avcodec.avcodec_parameters_to_context(ctx, par);
            if (ret >= 0) {
                ret = avcodec.avcodec_open2(ctx, codec, (AVDictionary) null);
            }
            if (ret < 0) {
                throw new AudioDecodeException(file, UNSUPPORTED, "FFmpeg cannot open its "
                        + codec.name().getString() + " decoder: " + FFmpeg.describe(ret));
            }
            long limit = (long) Math.floor(maxSeconds * rate) + 1;
            MonoSamples out = readAll(file, fmt, ctx, index, limit, rate);
            boolean pcm = par.codec_id() >= PCM_FIRST && par.codec_id() <= PCM_LAST;
            return finish(file, out, declared, rate, pcm);
        } finally {
            avcodec.avcodec_free_context(ctx);
        }
    }

    /** Frames the header declares, or -1 when it declares none (an estimate from the bit rate is no declaration). */
    private static long declaredFrames(Path file, AVFormatContext fmt, AVStream stream, int rate) {
        if ("wav".equals(fmt.iformat().name().getString())) {
            try {
                return WavHeader.declaredFrames(file);
            } catch (IOException e) {
                throw new KodiakException("cannot read sound file " + file + ": " + e.getMessage(), e);
            }
        }
        long d = stream.duration();
        if (d != avutil.AV_NOPTS_VALUE && d > 0) {
            return Math.round(d * (double) stream.time_base().num() / stream.time_base().den() * rate);
        }
        if (fmt.duration() != avutil.AV_NOPTS_VALUE && fmt.duration() > 0
                && fmt.duration_estimation_method() != avformat.AVFMT_DURATION_FROM_BITRATE) {
            return Math.round(fmt.duration() / (double) avutil.AV_TIME_BASE * rate);
        }
        return -1;
    }

    private MonoSamples readAll(Path file, AVFormatContext fmt, AVCodecContext ctx, int index, long limit, int rate) {
        AVPacket packet = avcodec.av_packet_alloc();
        AVFrame frame = avutil.av_frame_alloc();
        MonoSamples out = new MonoSamples();
        try {
            int ret;
            while ((ret = avformat.av_read_frame(fmt, packet)) >= 0) {
                try {
                    if (packet.stream_index() == index && avcodec.avcodec_send_packet(ctx, packet) >= 0) {
                        drain(file, ctx, frame, out, limit, rate);
                    }
                    // a packet the codec refuses is damage: skipped, and counted by the truncation check
                } finally {
                    avcodec.av_packet_unref(packet);
                }
            }
            out.readError = ret != avutil.AVERROR_EOF() ? ret : 0;
            avcodec.avcodec_send_packet(ctx, null); // flush the codec's delayed samples
            drain(file, ctx, frame, out, limit, rate);
            return out;
        } finally {
            avutil.av_frame_free(frame);
            avcodec.av_packet_free(packet);
        }
    }

    private void drain(Path file, AVCodecContext ctx, AVFrame frame, MonoSamples out, long limit, int rate) {
        while (true) {
            int ret = avcodec.avcodec_receive_frame(ctx, frame);
            if (ret == FFmpeg.EAGAIN || ret == avutil.AVERROR_EOF()) {
                return;
            }
            if (ret < 0) {
                out.decodeErrors++;
                return;
            }
            try {
                out.append(frame);
            } finally {
                avutil.av_frame_unref(frame);
            }
            if (out.length() > limit) {
                throw new AudioDecodeException(file, TOO_LONG, String.format(Locale.ROOT,
                        "it is longer than the limit of %.0f s (its header did not say so; raise --max-seconds for"
                                + " long recordings)", maxSeconds));
            }
            if (frame.sample_rate() != 0 && frame.sample_rate() != rate) {
                throw new AudioDecodeException(file, UNSUPPORTED, "its sample rate changes mid-stream ("
                        + rate + " Hz, then " + frame.sample_rate() + " Hz)");
            }
        }
    }

    private static AudioClip finish(Path file, MonoSamples out, long declared, int rate, boolean pcm) {
        int n = out.length();
        if (n == 0) {
            if (out.decodeErrors > 0 || out.readError != 0) {
                throw new AudioDecodeException(file, NOT_AUDIO, "no sound could be decoded from it"
                        + (out.readError != 0 ? " (" + FFmpeg.describe(out.readError) + ")" : ""));
            }
            throw new AudioDecodeException(file, EMPTY, "it holds no samples");
        }
        // PCM must deliver every declared frame; compressed codecs may drop an encoder's priming and padding.
        long tolerance = pcm ? 0 : Math.max(4096, declared / 100);
        if (declared > 0 && n < declared - tolerance) {
            throw new AudioDecodeException(file, TRUNCATED, String.format(Locale.ROOT,
                    "the file holds %.2f s of the %.2f s its header declares (truncated download or copy?)",
                    n / (double) rate, declared / (double) rate));
        }
        return new AudioClip(out.toArray(), rate);
    }
}
