package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeErrors;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.Tensors;
import dev.kodiak.tensor.Tensor;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Mel spectrograms of whole batches on the engine: libtorch's {@code stft} (Hann window of {@code winLength},
 * centred frames with reflection padding, one-sided), {@code |X|^power}, then {@code nMels} triangular HTK-mel filters
 * from {@code fMin} to {@code fMax} Hz — the defaults of {@code torchaudio.transforms.MelSpectrogram}, which the
 * interop test holds it to. Waveforms [B, T] in, spectrograms [B, 1, nMels, 1 + T / hop] out, in the input's dtype
 * (float32, or float64 for exact comparisons). Follow it with {@link AmplitudeToDb} to get the picture a model sees.
 */
public record MelSpectrogram(int sampleRate, int nFft, int hop, int winLength, int nMels, double fMin, double fMax,
        double power) {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    public MelSpectrogram {
        if (sampleRate <= 0) {
            throw new KodiakException("sample rate must be positive, got " + sampleRate);
        }
        if (nFft < 2) {
            throw new KodiakException("n_fft must be at least 2, got " + nFft);
        }
        if (hop <= 0) {
            throw new KodiakException("hop must be positive, got " + hop);
        }
        if (winLength <= 0 || winLength > nFft) {
            throw new KodiakException("win length must be in 1..n_fft (" + nFft + "), got " + winLength);
        }
        if (nMels <= 0) {
            throw new KodiakException("n_mels must be positive, got " + nMels);
        }
        if (!(fMin >= 0 && fMin < fMax && fMax <= sampleRate / 2.0)) {
            throw new KodiakException("need 0 <= f_min < f_max <= sample rate / 2 (" + sampleRate / 2.0 + " Hz), got f_min "
                    + fMin + ", f_max " + fMax);
        }
        if (!(power > 0) || Double.isInfinite(power)) {
            throw new KodiakException("power must be positive (2 for power, 1 for magnitude), got " + power);
        }
    }

    /**
     * Kodiak's defaults at {@code sampleRate}: n_fft 1024, hop 256, window 1024, 64 mels from 0 Hz to the Nyquist
     * frequency, power 2.
     */
    public static MelSpectrogram of(int sampleRate) {
        return new MelSpectrogram(sampleRate, 1024, 256, 1024, 64, 0, sampleRate / 2.0, 2);
    }

    /** The number of frames a clip of {@code samples} gives (centred frames: one every hop, plus one). */
    public long frames(long samples) {
        return 1 + samples / hop;
    }

    /** Spectrograms of a batch of waveforms: [B, T] float → [B, 1, nMels, frames(T)] of the same dtype. */
    public Tensor apply(Tensor waves) {
        if (waves.dim() != 2) {
            throw new KodiakException("a mel spectrogram needs waveforms as [batch, samples], got shape "
                    + java.util.Arrays.toString(waves.shape()));
        }
        if (waves.size(1) <= nFft / 2) {
            throw new KodiakException("clips of " + waves.size(1) + " samples are too short for n_fft " + nFft
                    + " (need more than " + nFft / 2 + "); pad them to a fixed duration first");
        }
        org.bytedeco.pytorch.Tensor x = NativeTensors.unwrap(waves);
        return NativeTensors.wrap(NativeErrors.call("mel spectrogram", () -> {
            TensorOptions like = new TensorOptions(Tensors.dtype(x));
            org.bytedeco.pytorch.Tensor window = torch.hann_window(winLength, like);
            org.bytedeco.pytorch.Tensor spec = x.stft(nFft, new LongOptional(hop), new LongOptional(winLength),
                    new TensorOptional(window), true, "reflect", false, new BoolOptional(true),
                    new BoolOptional(true), new BoolOptional());
            org.bytedeco.pytorch.Tensor mag = spec.abs();
            if (power != 1) {
                mag = mag.pow(new org.bytedeco.pytorch.Scalar(power));
            }
            int nFreqs = nFft / 2 + 1;
            org.bytedeco.pytorch.Tensor fb = Tensors.fromFloats(
                    MelFilterbank.weights(nFreqs, nMels, fMin, fMax, sampleRate), nFreqs, nMels)
                    .to(Tensors.dtype(x));
            return mag.transpose(1, 2).matmul(fb).transpose(1, 2).unsqueeze(1).contiguous();
        }));
    }
}
