package dev.kodiak.audio;

/**
 * Triangular filters on the HTK mel scale ({@code mel = 2595 log10(1 + f / 700)}), no area normalisation: the
 * filterbank torchaudio's {@code MelSpectrogram} uses by default, so Kodiak's spectrograms are the ones a PyTorch
 * pipeline computes. Internal to the audio package.
 */
final class MelFilterbank {
    private MelFilterbank() {
    }

    static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }

    /**
     * Weights as [nFreqs][nMels], row-major, for frequency bins evenly spaced from 0 to {@code sampleRate / 2}
     * (integer division, as torchaudio) and {@code nMels} triangles whose corners are evenly spaced in mel from
     * {@code fMin} to {@code fMax}.
     */
    static float[] weights(int nFreqs, int nMels, double fMin, double fMax, int sampleRate) {
        double melMin = hzToMel(fMin);
        double melMax = hzToMel(fMax);
        double[] corners = new double[nMels + 2];
        for (int i = 0; i < corners.length; i++) {
            corners[i] = melToHz(melMin + (melMax - melMin) * i / (nMels + 1));
        }
        int nyquist = sampleRate / 2;
        float[] w = new float[nFreqs * nMels];
        for (int f = 0; f < nFreqs; f++) {
            double hz = nFreqs == 1 ? 0 : nyquist * (double) f / (nFreqs - 1);
            for (int m = 0; m < nMels; m++) {
                double rising = (hz - corners[m]) / (corners[m + 1] - corners[m]);
                double falling = (corners[m + 2] - hz) / (corners[m + 2] - corners[m + 1]);
                w[f * nMels + m] = (float) Math.max(0, Math.min(rising, falling));
            }
        }
        return w;
    }
}
