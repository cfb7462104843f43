package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * Collects decoded frames as mono floats: every FFmpeg sample format (8-bit unsigned, 16/32/64-bit signed, 32/64-bit
 * float; packed or planar) scaled to -1..1, channels averaged. Internal to the decoder, which bounds its length.
 */
final class MonoSamples {
    static {
        FFmpeg.init(); // FFmpeg's natives load through the one initializer, first (ENGINE.md: cold cache)
    }

    private float[] data = new float[1 << 14];
    private int length;
    int decodeErrors;
    int readError;

    int length() {
        return length;
    }

    float[] toArray() {
        return Arrays.copyOf(data, length);
    }

    void append(AVFrame frame) {
        int n = frame.nb_samples();
        int channels = frame.ch_layout().nb_channels();
        if (n <= 0 || channels <= 0) {
            return;
        }
        int format = frame.format();
        boolean planar = avutil.av_sample_fmt_is_planar(format) != 0;
        int bytes = avutil.av_get_bytes_per_sample(format);
        if (bytes <= 0) {
            throw new KodiakException("FFmpeg returned an unknown sample format " + format);
        }
        ensure(length + n);
        float scale = 1f / channels;
        for (int c = 0; c < channels; c++) {
            BytePointer plane = frame.extended_data(planar ? c : 0);
            int values = planar ? n : n * channels;
            ByteBuffer buf = plane.capacity((long) values * bytes).asByteBuffer().order(ByteOrder.nativeOrder());
            int first = planar ? 0 : c;
            int step = planar ? 1 : channels;
            for (int i = 0; i < n; i++) {
                data[length + i] += scale * sample(buf, (first + i * step) * bytes, format);
            }
        }
        length += n;
    }

    private static float sample(ByteBuffer b, int at, int format) {
        if (format == avutil.AV_SAMPLE_FMT_U8 || format == avutil.AV_SAMPLE_FMT_U8P) {
            return ((b.get(at) & 0xff) - 128) / 128f;
        } else if (format == avutil.AV_SAMPLE_FMT_S16 || format == avutil.AV_SAMPLE_FMT_S16P) {
            return b.getShort(at) / 32768f;
        } else if (format == avutil.AV_SAMPLE_FMT_S32 || format == avutil.AV_SAMPLE_FMT_S32P) {
            return (float) (b.getInt(at) / 2147483648.0);
        } else if (format == avutil.AV_SAMPLE_FMT_S64 || format == avutil.AV_SAMPLE_FMT_S64P) {
            return (float) (b.getLong(at) / 9.223372036854775808e18);
        } else if (format == avutil.AV_SAMPLE_FMT_FLT || format == avutil.AV_SAMPLE_FMT_FLTP) {
            return b.getFloat(at);
        } else if (format == avutil.AV_SAMPLE_FMT_DBL || format == avutil.AV_SAMPLE_FMT_DBLP) {
            return (float) b.getDouble(at);
        }
        throw new KodiakException("FFmpeg returned an unknown sample format " + format);
    }

    private void ensure(int capacity) {
        if (capacity > data.length) {
            data = Arrays.copyOf(data, Math.max(capacity, data.length * 2));
        }
    }
}
