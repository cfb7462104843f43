package dev.kodiak.vision.export;

import dev.kodiak.KodiakException;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;

/**
 * A convolution or linear layer with the evaluation-mode BatchNorm next to it folded in, computed from a model
 * file's weights: the exported graph has no BatchNorm node. In eval mode BatchNorm is {@code x·s + t} per channel
 * with {@code s = γ/√(var+ε)} and {@code t = β − mean·s}; so conv → BN is one convolution with weights {@code W·s}
 * (per output channel) and bias {@code t}, and BN → linear (fastai's head; its dropout is the identity in eval) is one
 * linear layer with weights {@code W·s} (per input feature) and bias {@code W·t}. Done in double precision, then
 * rounded to float32 once.
 *
 * @param weight the folded weights, row-major
 * @param shape  their shape: {@code [out, in, kh, kw]} or {@code [out, in]}
 * @param bias   one bias per output
 */
record FoldedLayer(float[] weight, long[] shape, float[] bias) {
    /** PyTorch's BatchNorm epsilon, which Kodiak keeps but for MobileNetV3 (1e-3, as torchvision). */
    static final double BATCH_NORM_EPS = 1e-5;

    /** {@code bn(conv(x))}: the convolution's weights are {@code conv + ".weight"}, the BatchNorm's {@code bn + ".*"}. */
    static FoldedLayer convThenBatchNorm(StateDict weights, String conv, String bn) {
        return convThenBatchNorm(weights, conv, bn, BATCH_NORM_EPS);
    }

    /** {@link #convThenBatchNorm(StateDict, String, String)} for a BatchNorm with epsilon {@code eps}. */
    static FoldedLayer convThenBatchNorm(StateDict weights, String conv, String bn, double eps) {
        TensorData w = tensor(weights, conv + ".weight");
        float[] values = w.toFloats();
        double[][] st = scaleShift(weights, bn, w.shape()[0], eps);
        int out = (int) w.shape()[0];
        int per = values.length / out;
        float[] folded = new float[values.length];
        float[] bias = new float[out];
        float[] oldBias = weights.contains(conv + ".bias") ? tensor(weights, conv + ".bias").toFloats() : null;
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < per; i++) {
                folded[o * per + i] = (float) (values[o * per + i] * st[0][o]);
            }
            bias[o] = (float) ((oldBias == null ? 0 : oldBias[o] * st[0][o]) + st[1][o]);
        }
        return new FoldedLayer(folded, w.shape().clone(), bias);
    }

    /** {@code linear(bn(x))}: BatchNorm {@code bn + ".*"} over the inputs of linear layer {@code linear}. */
    static FoldedLayer batchNormThenLinear(StateDict weights, String bn, String linear) {
        TensorData w = tensor(weights, linear + ".weight");
        if (w.shape().length != 2) {
            throw new KodiakException("tensor " + linear + ".weight should be 2-D, has shape " + w.shapeString());
        }
        int out = (int) w.shape()[0];
        int in = (int) w.shape()[1];
        float[] values = w.toFloats();
        double[][] st = scaleShift(weights, bn, in, BATCH_NORM_EPS);
        float[] oldBias = weights.contains(linear + ".bias") ? tensor(weights, linear + ".bias").toFloats() : null;
        float[] folded = new float[values.length];
        float[] bias = new float[out];
        for (int o = 0; o < out; o++) {
            double b = oldBias == null ? 0 : oldBias[o];
            for (int i = 0; i < in; i++) {
                folded[o * in + i] = (float) (values[o * in + i] * st[0][i]);
                b += values[o * in + i] * st[1][i];
            }
            bias[o] = (float) b;
        }
        return new FoldedLayer(folded, w.shape().clone(), bias);
    }

    /** The tensor called {@code name}, or an error naming it. */
    static TensorData tensor(StateDict weights, String name) {
        TensorData t = weights.get(name);
        if (t == null) {
            throw new KodiakException("the model's weights have no tensor " + name);
        }
        return t;
    }

    // {s, t} per channel of BatchNorm `bn` (epsilon `eps`), which must have `channels` of them.
    private static double[][] scaleShift(StateDict weights, String bn, long channels, double eps) {
        float[] gamma = tensor(weights, bn + ".weight").toFloats();
        float[] beta = tensor(weights, bn + ".bias").toFloats();
        float[] mean = tensor(weights, bn + ".running_mean").toFloats();
        float[] var = tensor(weights, bn + ".running_var").toFloats();
        for (float[] v : new float[][] {gamma, beta, mean, var}) {
            if (v.length != channels) {
                throw new KodiakException("BatchNorm " + bn + " has " + v.length + " channels where " + channels
                        + " were expected");
            }
        }
        double[] s = new double[gamma.length];
        double[] t = new double[gamma.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = gamma[c] / Math.sqrt(var[c] + eps);
            t[c] = beta[c] - mean[c] * s[c];
        }
        return new double[][] {s, t};
    }
}
