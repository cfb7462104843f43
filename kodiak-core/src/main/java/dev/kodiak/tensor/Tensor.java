package dev.kodiak.tensor;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeErrors;
import dev.kodiak.engine.Tensors;
import dev.kodiak.io.DType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A tensor as users of Kodiak see it in losses, metrics, batch transforms, callbacks and model heads: a thin handle
 * on a libtorch tensor. Every operation is libtorch's (autograd included: an operation on a tensor that requires
 * gradients is recorded, and {@link #backward()} runs libtorch's backward pass); nothing is computed in Java.
 *
 * <p>Lifetime: a tensor made while a training step or predict call is running belongs to that step and is freed
 * when it ends, like everything else the step made. Keep numbers, not tensors, across steps ({@link #item()},
 * {@link #toFloatArray()}).
 *
 * <p>Operations return new tensors (no in-place variants), so a callback or loss cannot corrupt a tensor that the
 * training loop still needs.
 */
public final class Tensor {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    // read and constructed by dev.kodiak.engine.NativeTensors only (through a private lookup): no public member of
    // this class names libtorch's tensor type
    private final org.bytedeco.pytorch.Tensor t;

    private Tensor(org.bytedeco.pytorch.Tensor t) {
        this.t = t;
    }

    // ---------------------------------------------------------------- making tensors

    /** A float32 tensor of {@code shape} holding a copy of {@code data} (row-major). */
    public static Tensor of(float[] data, long... shape) {
        return new Tensor(Tensors.fromFloats(data, shape));
    }

    /** An int64 tensor of {@code shape} holding a copy of {@code data} (class indices, item indices). */
    public static Tensor of(long[] data, long... shape) {
        return new Tensor(Tensors.fromLongs(data, shape));
    }

    /** A float32 tensor of zeros. */
    public static Tensor zeros(long... shape) {
        return make("zeros", () -> torch.zeros(shape, new TensorOptions(ScalarType.Float)));
    }

    /** A float32 tensor of ones. */
    public static Tensor ones(long... shape) {
        return make("ones", () -> torch.ones(shape, new TensorOptions(ScalarType.Float)));
    }

    /** A float32 tensor with every element {@code value}. */
    public static Tensor full(double value, long... shape) {
        return make("full", () -> torch.full(shape, new Scalar(value), new TensorOptions(ScalarType.Float)));
    }

    /** The int64 values {@code 0, 1, ..., n - 1}. */
    public static Tensor arange(long n) {
        return make("arange", () -> torch.arange(new Scalar(n), new TensorOptions(ScalarType.Long)));
    }

    /** Uniform random floats in [0, 1) from libtorch's generator (seeded by the learner's seed). */
    public static Tensor rand(long... shape) {
        return make("rand", () -> torch.rand(shape, new TensorOptions(ScalarType.Float)));
    }

    /** Standard normal random floats from libtorch's generator (seeded by the learner's seed). */
    public static Tensor randn(long... shape) {
        return make("randn", () -> torch.randn(shape, new TensorOptions(ScalarType.Float)));
    }

    /** Joins tensors along an existing dimension. */
    public static Tensor cat(List<Tensor> parts, long dim) {
        return make("cat", () -> torch.cat(new TensorVector(natives(parts)), dim));
    }

    /** Stacks equally shaped tensors along a new dimension. */
    public static Tensor stack(List<Tensor> parts, long dim) {
        return make("stack", () -> torch.stack(new TensorVector(natives(parts)), dim));
    }

    // ---------------------------------------------------------------- what it is

    /** The sizes of the dimensions, e.g. {@code [64, 3, 224, 224]}; empty for a scalar. */
    public long[] shape() {
        return t.shape();
    }

    /** The size of dimension {@code dim} (negative counts from the end). */
    public long size(int dim) {
        long[] s = shape();
        int d = dim < 0 ? s.length + dim : dim;
        if (d < 0 || d >= s.length) {
            throw new KodiakException("dimension " + dim + " is out of range for shape " + Arrays.toString(s));
        }
        return s[d];
    }

    /** The number of dimensions. */
    public int dim() {
        return shape().length;
    }

    /** The number of elements. */
    public long numel() {
        return t.numel();
    }

    /** The element type. */
    public DType dtype() {
        ScalarType s = Tensors.dtype(t);
        return switch (s) {
            case Double -> DType.F64;
            case Float -> DType.F32;
            case Half -> DType.F16;
            case BFloat16 -> DType.BF16;
            case Long -> DType.I64;
            case Int -> DType.I32;
            case Short -> DType.I16;
            case Char -> DType.I8;
            case Byte -> DType.U8;
            case Bool -> DType.BOOL;
            default -> throw new KodiakException("tensor element type " + s + " has no Kodiak name");
        };
    }

    /** True when autograd records operations on this tensor. */
    public boolean requiresGrad() {
        return t.requires_grad();
    }

    // ---------------------------------------------------------------- arithmetic (broadcasting as libtorch)

    /** {@code this + other}. */
    public Tensor add(Tensor other) {
        return op("add", () -> t.add(other.t));
    }

    /** {@code this + value}. */
    public Tensor add(double value) {
        return op("add", () -> t.add(new Scalar(value)));
    }

    /** {@code this - other}. */
    public Tensor sub(Tensor other) {
        return op("sub", () -> t.sub(other.t));
    }

    /** {@code this - value}. */
    public Tensor sub(double value) {
        return op("sub", () -> t.sub(new Scalar(value)));
    }

    /** {@code this * other}, element-wise. */
    public Tensor mul(Tensor other) {
        return op("mul", () -> t.mul(other.t));
    }

    /** {@code this * value}. */
    public Tensor mul(double value) {
        return op("mul", () -> t.mul(new Scalar(value)));
    }

    /** {@code this / other}, element-wise (true division). */
    public Tensor div(Tensor other) {
        return op("div", () -> t.div(other.t));
    }

    /** {@code this / value}. */
    public Tensor div(double value) {
        return op("div", () -> t.div(new Scalar(value)));
    }

    /** {@code this ^ exponent}, element-wise. */
    public Tensor pow(double exponent) {
        return op("pow", () -> t.pow(new Scalar(exponent)));
    }

    /** {@code this + weight * (end - this)}: blends two tensors (MixUp). */
    public Tensor lerp(Tensor end, double weight) {
        return op("lerp", () -> torch.lerp(t, end.t, new Scalar(weight)));
    }

    /** {@code this + weight * (end - this)} with a weight per element (broadcast). */
    public Tensor lerp(Tensor end, Tensor weight) {
        return op("lerp", () -> torch.lerp(t, end.t, weight.t));
    }

    /** Matrix product (libtorch's {@code matmul}, batched when there are more than two dimensions). */
    public Tensor matmul(Tensor other) {
        return op("matmul", () -> t.matmul(other.t));
    }

    /** {@code -this}. */
    public Tensor neg() {
        return op("neg", t::neg);
    }

    /** Element-wise absolute value. */
    public Tensor abs() {
        return op("abs", t::abs);
    }

    /** Element-wise e^x. */
    public Tensor exp() {
        return op("exp", t::exp);
    }

    /** Element-wise natural logarithm. */
    public Tensor log() {
        return op("log", t::log);
    }

    /** Element-wise square root. */
    public Tensor sqrt() {
        return op("sqrt", t::sqrt);
    }

    /** Element-wise clamp to {@code [min, max]}. */
    public Tensor clamp(double min, double max) {
        return op("clamp", () -> t.clamp_min(new Scalar(min)).clamp_max(new Scalar(max)));
    }

    /** Element-wise logistic sigmoid. */
    public Tensor sigmoid() {
        return op("sigmoid", t::sigmoid);
    }

    /** Element-wise max(x, 0). */
    public Tensor relu() {
        return op("relu", t::relu);
    }

    /** Softmax along {@code dim}, computed in float32 for low-precision inputs. */
    public Tensor softmax(long dim) {
        return op("softmax", () -> t.softmax(dim, new ScalarTypeOptional(ScalarType.Float)));
    }

    /** Log-softmax along {@code dim}, computed in float32 for low-precision inputs. */
    public Tensor logSoftmax(long dim) {
        return op("log_softmax", () -> t.log_softmax(dim, new ScalarTypeOptional(ScalarType.Float)));
    }

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements (a 0-d tensor). */
    public Tensor sum() {
        return op("sum", t::sum);
    }

    /** The sum along {@code dim}. */
    public Tensor sum(long dim, boolean keepDim) {
        return op("sum", () -> t.sum(new long[] {dim}, keepDim, new ScalarTypeOptional()));
    }

    /** The mean of all elements (a 0-d tensor). */
    public Tensor mean() {
        return op("mean", t::mean);
    }

    /** The mean along {@code dim}. */
    public Tensor mean(long dim, boolean keepDim) {
        return op("mean", () -> t.mean(new long[] {dim}, keepDim, new ScalarTypeOptional()));
    }

    /** The largest value along {@code dim}. */
    public Tensor max(long dim, boolean keepDim) {
        return op("max", () -> t.amax(new long[] {dim}, keepDim));
    }

    /** The index of the largest value along {@code dim} (int64). */
    public Tensor argmax(long dim) {
        return op("argmax", () -> t.argmax(new LongOptional(dim), false));
    }

    // ---------------------------------------------------------------- comparisons (bool results)

    /** Element-wise {@code this == other}. */
    public Tensor eq(Tensor other) {
        return op("eq", () -> t.eq(other.t));
    }

    /** Element-wise {@code this > value}. */
    public Tensor gt(double value) {
        return op("gt", () -> t.gt(new Scalar(value)));
    }

    /** Element-wise {@code this >= value}. */
    public Tensor ge(double value) {
        return op("ge", () -> t.ge(new Scalar(value)));
    }

    /** Element-wise {@code this < value}. */
    public Tensor lt(double value) {
        return op("lt", () -> t.lt(new Scalar(value)));
    }

    /** Where {@code condition} holds, this tensor's value, else {@code other}'s. */
    public Tensor where(Tensor condition, Tensor other) {
        return op("where", () -> t.where(condition.t, other.t));
    }

    // ---------------------------------------------------------------- shape and indexing

    /** The same values in a new shape ({@code -1} infers one size). */
    public Tensor reshape(long... shape) {
        return op("reshape", () -> t.reshape(shape));
    }

    /** The dimensions reordered. */
    public Tensor permute(long... dims) {
        return op("permute", () -> t.permute(dims));
    }

    /** Two dimensions swapped. */
    public Tensor transpose(long dim0, long dim1) {
        return op("transpose", () -> t.transpose(dim0, dim1));
    }

    /** A new dimension of size 1 at {@code dim}. */
    public Tensor unsqueeze(long dim) {
        return op("unsqueeze", () -> t.unsqueeze(dim));
    }

    /** Dimension {@code dim} removed if its size is 1. */
    public Tensor squeeze(long dim) {
        return op("squeeze", () -> t.squeeze(dim));
    }

    /** Elements {@code start .. start + length - 1} along {@code dim} (a view, no copy). */
    public Tensor narrow(long dim, long start, long length) {
        return op("narrow", () -> t.narrow(dim, start, length));
    }

    /** The slice at {@code index} along {@code dim}, that dimension removed. */
    public Tensor select(long dim, long index) {
        return op("select", () -> t.select(dim, index));
    }

    /** The entries at {@code indices} (int64) along {@code dim}, e.g. a shuffled batch for MixUp. */
    public Tensor indexSelect(long dim, Tensor indices) {
        return op("index_select", () -> torch.index_select(t, dim, indices.t));
    }

    /** Per position, the element along {@code dim} named by {@code indices} (int64, same rank). */
    public Tensor gather(long dim, Tensor indices) {
        return op("gather", () -> torch.gather(t, dim, indices.t));
    }

    /** The order of dimensions {@code dims} reversed (flips). */
    public Tensor flip(long... dims) {
        return op("flip", () -> t.flip(dims));
    }

    /** Class indices (int64) as one-hot float32 rows of {@code classes} columns. */
    public Tensor oneHot(long classes) {
        return op("one_hot", () -> torch.one_hot(t, classes).to(ScalarType.Float));
    }

    // ---------------------------------------------------------------- types and autograd

    /** The values converted to {@code dtype}. */
    public Tensor to(DType dtype) {
        return op("to", () -> t.to(scalarType(dtype)));
    }

    /** The same values as float32. */
    public Tensor toFloat() {
        return to(DType.F32);
    }

    /** The same values cut off from autograd (no gradient flows back through the result). */
    public Tensor detach() {
        return op("detach", t::detach);
    }

    /** A copy that owns its own memory. */
    public Tensor copy() {
        return op("clone", t::clone);
    }

    /** A leaf copy of these values on which autograd records operations (for gradients of a custom loss in tests). */
    public Tensor requiringGrad() {
        return op("requires_grad", () -> t.detach().clone().requires_grad_(true));
    }

    /** Runs libtorch's backward pass from this scalar. */
    public void backward() {
        NativeErrors.run("backward", t::backward);
    }

    /** The gradient accumulated on this tensor by {@link #backward()}, or null when there is none. */
    public Tensor grad() {
        org.bytedeco.pytorch.Tensor g = t.grad();
        return g == null || !g.defined() ? null : new Tensor(g);
    }

    // ---------------------------------------------------------------- to Java

    /** The value of a one-element tensor. */
    public float item() {
        return Tensors.scalar(t);
    }

    /** The values as floats, row-major, whatever the dtype or device. */
    public float[] toFloatArray() {
        return Tensors.toFloats(t);
    }

    /** The values as longs, row-major; floating values are truncated toward zero. */
    public long[] toLongArray() {
        return Tensors.toLongs(t);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape()) + " " + dtype();
    }

    private Tensor op(String name, Supplier<org.bytedeco.pytorch.Tensor> f) {
        return make(name, f);
    }

    private static Tensor make(String name, Supplier<org.bytedeco.pytorch.Tensor> f) {
        return new Tensor(NativeErrors.call("tensor operation " + name, f));
    }

    private static org.bytedeco.pytorch.Tensor[] natives(List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new KodiakException("cannot join an empty list of tensors");
        }
        org.bytedeco.pytorch.Tensor[] out = new org.bytedeco.pytorch.Tensor[parts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parts.get(i).t;
        }
        return out;
    }

    private static ScalarType scalarType(DType d) {
        return switch (d) {
            case F64 -> ScalarType.Double;
            case F32 -> ScalarType.Float;
            case F16 -> ScalarType.Half;
            case BF16 -> ScalarType.BFloat16;
            case I64 -> ScalarType.Long;
            case I32 -> ScalarType.Int;
            case I16 -> ScalarType.Short;
            case I8 -> ScalarType.Char;
            case U8 -> ScalarType.Byte;
            case BOOL -> ScalarType.Bool;
        };
    }
}
