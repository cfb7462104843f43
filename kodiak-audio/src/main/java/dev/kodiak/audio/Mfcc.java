package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.tensor.Tensor;

/**
 * Mel-frequency cepstral coefficients of whole batches, as torchaudio's {@code MFCC} with its defaults: the mel
 * spectrogram in dB ({@code top_db} 80), then an orthonormal DCT-II over the mel bins keeping the first {@code nMfcc}
 * coefficients. Waveforms [B, T] in, [B, 1, nMfcc, frames] out.
 */
public record Mfcc(MelSpectrogram mel, int nMfcc, AmplitudeToDb db) {
    public Mfcc {
        if (mel == null || db == null) {
            throw new KodiakException("MFCC needs a mel spectrogram and its dB conversion");
        }
        if (nMfcc <= 0 || nMfcc > mel.nMels()) {
            throw new KodiakException("n_mfcc must be in 1..n_mels (" + mel.nMels() + "), got " + nMfcc);
        }
    }

    /**
     * {@code nMfcc} coefficients of {@code mel}'s spectrograms, in dB with a top_db of 80. As torchaudio's MFCC, the
     * dB multiplier is 10 whatever the mel spectrogram's power.
     */
    public static Mfcc of(MelSpectrogram mel, int nMfcc) {
        return new Mfcc(mel, nMfcc, new AmplitudeToDb(10, 80));
    }

    public Tensor apply(Tensor waves) {
        Tensor db = this.db.apply(mel.apply(waves)); // [B, 1, M, F]
        int m = mel.nMels();
        float[] dct = new float[m * nMfcc]; // [M, nMfcc]: the orthonormal DCT-II basis, one column per coefficient
        for (int n = 0; n < m; n++) {
            for (int k = 0; k < nMfcc; k++) {
                double scale = k == 0 ? Math.sqrt(1.0 / m) : Math.sqrt(2.0 / m);
                dct[n * nMfcc + k] = (float) (scale * Math.cos(Math.PI / m * (n + 0.5) * k));
            }
        }
        Tensor basis = Tensor.of(dct, m, nMfcc).to(db.dtype());
        return db.transpose(2, 3).matmul(basis).transpose(2, 3);
    }
}
