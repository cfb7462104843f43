package dev.kodiak.audio;

import dev.kodiak.testing.PythonTorch;
import dev.kodiak.testing.Peers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Interop tests' peers: Debian's scipy and torchaudio under {@link PythonTorch#PYTHON}, skipped where they do not
 * import and failed in CI ({@link Peers}); and the raw float files the two sides exchange.
 */
final class PythonPeers {
    private static Boolean scipy;
    private static Boolean torchaudio;

    private PythonPeers() {
    }

    static synchronized void assumeScipy() {
        if (scipy == null) {
            scipy = PythonTorch.imports("scipy.signal");
        }
        Peers.assume(scipy, "scipy (" + PythonTorch.PYTHON + " cannot import scipy.signal)",
                "apt-get install python3-scipy");
    }

    static synchronized void assumeTorchaudio() {
        if (torchaudio == null) {
            torchaudio = PythonTorch.imports("torch, torchaudio");
        }
        Peers.assume(torchaudio, "torchaudio (" + PythonTorch.PYTHON + " cannot import torchaudio)",
                "apt-get install python3-torchaudio");
    }

    /** Writes little-endian float64 values (numpy's {@code np.fromfile(f, '<f8')}). */
    static Path writeDoubles(Path file, double[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return Files.write(file, b.array());
    }

    static double[] readDoubles(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[b.remaining() / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getDouble();
        }
        return out;
    }

    static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
