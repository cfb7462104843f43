package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import java.util.ArrayList;
import java.util.List;

/**
 * Adapts an ImageNet stem to a one-channel input (fastai's {@code n_in=1}): the first convolution's RGB kernels are
 * summed into one, so the adapted convolution on a one-channel input equals the RGB one on that input copied into
 * all three channels. Pretrained bodies then work on spectrograms and greyscale pictures.
 */
public final class StemAdapter {
    private StemAdapter() {
    }

    /** {@code weights} with the tensor {@code stem} ([out, 3, kh, kw]) replaced by its sum over the inputs. */
    public static StateDict toOneChannel(StateDict weights, String stem, String source) {
        TensorData w = weights.get(stem);
        if (w == null) {
            throw new KodiakException(source + " has no " + stem + " to adapt to one input channel");
        }
        long[] shape = w.shape();
        if (shape.length != 4 || shape[1] != 3) {
            throw new KodiakException(source + ": " + stem + " is " + w.shapeString()
                    + ", not an RGB stem [out, 3, kh, kw]");
        }
        float[] rgb = w.toFloats();
        int out = (int) shape[0];
        int k = (int) (shape[2] * shape[3]);
        float[] summed = new float[out * k];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < k; i++) {
                    summed[o * k + i] += rgb[(o * 3 + c) * k + i];
                }
            }
        }
        List<TensorData> tensors = new ArrayList<>(weights.tensors().size());
        for (TensorData t : weights.tensors()) {
            tensors.add(t.name().equals(stem) ? TensorData.ofFloats(stem, summed, out, 1, shape[2], shape[3]) : t);
        }
        return StateDict.of(tensors, weights.metadata());
    }
}
