package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeErrors;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.tensor.Tensor;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.global.torch;

/**
 * Decibels of a batch of spectrograms, as torchaudio's {@code AmplitudeToDB}: {@code multiplier * log10(max(x,
 * 1e-10))} (reference 1), then, per item, everything more than {@code topDb} below the item's loudest value is raised
 * to that floor (a clip's silence becomes a flat floor instead of -100 dB noise). Items are [B, C, H, W] batches;
 * each item's floor comes from its own maximum.
 *
 * @param multiplier 10 for power spectrograms, 20 for magnitudes ({@link #of(MelSpectrogram, double)} picks it)
 * @param topDb      the dynamic range kept per item, in dB; {@code Double.POSITIVE_INFINITY} keeps everything
 */
public record AmplitudeToDb(double multiplier, double topDb) {
    /** The smallest amplitude or power taken into account (torchaudio's {@code amin}). */
    public static final double AMIN = 1e-10;

    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    public AmplitudeToDb {
        if (!(multiplier > 0) || Double.isInfinite(multiplier)) {
            throw new KodiakException("the dB multiplier must be positive (10 for power, 20 for magnitude), got "
                    + multiplier);
        }
        if (!(topDb > 0)) {
            throw new KodiakException("top_db must be positive (e.g. 80), got " + topDb);
        }
    }

    /** dB for what {@code mel} computes: multiplier {@code 20 / power} (10 for power 2, 20 for magnitudes). */
    public static AmplitudeToDb of(MelSpectrogram mel, double topDb) {
        return new AmplitudeToDb(20.0 / mel.power(), topDb);
    }

    /** dB of a batch [B, ...] of spectrograms, the same shape and dtype. */
    public Tensor apply(Tensor spectrograms) {
        if (spectrograms.dim() < 2) {
            throw new KodiakException("dB needs a batch of spectrograms [batch, ...], got shape "
                    + java.util.Arrays.toString(spectrograms.shape()));
        }
        org.bytedeco.pytorch.Tensor x = NativeTensors.unwrap(spectrograms);
        return NativeTensors.wrap(NativeErrors.call("amplitude to dB", () -> {
            org.bytedeco.pytorch.Tensor db = x.clamp_min(new Scalar(AMIN)).log10().mul(new Scalar(multiplier));
            if (Double.isInfinite(topDb)) {
                return db;
            }
            long[] itemDims = new long[(int) x.dim() - 1];
            for (int i = 0; i < itemDims.length; i++) {
                itemDims[i] = i + 1;
            }
            org.bytedeco.pytorch.Tensor floor = db.amax(itemDims, true).sub(new Scalar(topDb));
            return torch.maximum(db, floor);
        }));
    }
}
