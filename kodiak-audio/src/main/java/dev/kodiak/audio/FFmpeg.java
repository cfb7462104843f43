package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.javacpp.Loader;

/**
 * Loads FFmpeg's native libraries (JavaCPP's presets) once, the same safe way the engine loads libtorch: every
 * library of the preset is unpacked before the first is loaded, so a cold cache cannot make the system linker
 * pick up another libavcodec (Debian's ffmpeg installs one). Internal to the audio package.
 */
final class FFmpeg {
    /** {@code AVERROR(EAGAIN)} on Linux: the codec wants more input (or output read) before it can go on. */
    static final int EAGAIN = -11;

    private static volatile boolean loaded;

    private FFmpeg() {
    }

    static void init() {
        if (loaded) {
            return;
        }
        synchronized (FFmpeg.class) {
            if (loaded) {
                return;
            }
            try {
                Loader.cacheResources("/org/bytedeco/ffmpeg/" + Loader.getPlatform() + "/");
                Loader.load(avutil.class);
                Loader.load(swresample.class);
                Loader.load(avcodec.class);
                Loader.load(avformat.class);
            } catch (Exception | LinkageError e) {
                throw new KodiakException("cannot load FFmpeg's native libraries for platform " + Loader.getPlatform()
                        + ": " + e.getMessage() + ". Kodiak ships them for linux-x86_64; check the JavaCPP cache "
                        + "directory (-Dorg.bytedeco.javacpp.cachedir) is writable.", e);
            }
            // FFmpeg logs every damaged packet to stderr; Kodiak reports bad files itself, once, with a reason.
            avutil.av_log_set_level(avutil.AV_LOG_QUIET);
            loaded = true;
        }
    }

    /** FFmpeg's text for an error code, e.g. {@code Invalid data found when processing input}. */
    static String describe(int error) {
        byte[] buf = new byte[256];
        avutil.av_strerror(error, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
