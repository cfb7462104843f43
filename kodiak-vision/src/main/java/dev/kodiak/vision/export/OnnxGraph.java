package dev.kodiak.vision.export;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.UnsafeByteOperations;
import dev.kodiak.KodiakException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * An ONNX graph under construction: the nodes and the constant tensors (initializers) an architecture's
 * {@link BodyGraph} adds, each value named once. Written with ONNX's own protobuf schema (the generated classes
 * Tribuo ships), so the file is what any ONNX reader expects, byte for byte as protobuf encodes it.
 */
public final class OnnxGraph {
    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private int counter;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /**
     * A 2-D convolution of {@code input} with {@code weight [out, in, k, k]} (float32, row-major) and
     * {@code bias [out]}, stride and symmetric padding as given. Returns the output's name.
     */
    public String conv(String input, String name, float[] weight, long[] weightShape, float[] bias, int stride,
            int padding) {
        return conv(input, name, weight, weightShape, bias, stride, padding, 1);
    }

    /**
     * A grouped 2-D convolution: {@code weight [out, in / groups, k, k]}, each group of input channels feeding its own
     * {@code out / groups} outputs (depthwise when {@code groups} is the number of channels). Returns the output's name.
     */
    public String conv(String input, String name, float[] weight, long[] weightShape, float[] bias, int stride,
            int padding, int groups) {
        if (weightShape.length != 4 || weightShape[2] != weightShape[3]) {
            throw new KodiakException("convolution " + name + " needs a square 4-D kernel, got "
                    + Arrays.toString(weightShape));
        }
        String w = constant(name + ".weight", weight, weightShape);
        String b = constant(name + ".bias", bias, weightShape[0]);
        int k = (int) weightShape[2];
        return node("Conv", name, new String[] {input, w, b},
                ints("kernel_shape", k, k), ints("strides", stride, stride),
                ints("pads", padding, padding, padding, padding), integer("group", groups));
    }

    /** {@code input · weightᵀ + bias} for {@code input [N, in]}, {@code weight [out, in]} and {@code bias [out]}. */
    public String linear(String input, String name, float[] weight, long[] weightShape, float[] bias) {
        String w = constant(name + ".weight", weight, weightShape);
        String b = constant(name + ".bias", bias, weightShape[0]);
        return node("Gemm", name, new String[] {input, w, b}, integer("transB", 1));
    }

    /** A node of ONNX operator {@code op} on {@code inputs}; its one output is named after {@code name}. */
    public String node(String op, String name, String[] inputs, OnnxMl.AttributeProto... attributes) {
        String output = fresh(name);
        graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(Arrays.asList(inputs))
                .addOutput(output).addAllAttribute(Arrays.asList(attributes)));
        return output;
    }

    /** A float32 initializer holding {@code values} with {@code shape}; returns its name. */
    public String constant(String name, float[] values, long... shape) {
        long numel = 1;
        for (long d : shape) {
            numel *= d;
        }
        if (numel != values.length) {
            throw new KodiakException("tensor " + name + " of shape " + Arrays.toString(shape) + " needs " + numel
                    + " values, got " + values.length);
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        String unique = fresh(name);
        graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(unique)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(Arrays.stream(shape).boxed().toList())
                .setRawData(UnsafeByteOperations.unsafeWrap(bytes.array()))); // ours alone: no second copy
        return unique;
    }

    /** An integer-list attribute, e.g. {@code ints("strides", 2, 2)}. */
    public static OnnxMl.AttributeProto ints(String name, long... values) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(values).boxed().toList()).build();
    }

    /** A float attribute, e.g. {@code real("alpha", 1 / 6f)}. */
    public static OnnxMl.AttributeProto real(String name, float value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
                .setF(value).build();
    }

    /** An integer attribute, e.g. {@code integer("axis", 1)}. */
    public static OnnxMl.AttributeProto integer(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    OnnxMl.GraphProto.Builder proto() {
        return graph;
    }

    // Value names are unique in an ONNX graph: a second "relu" becomes "relu_2".
    private String fresh(String name) {
        String unique = name;
        while (!names.add(unique)) {
            unique = name + "_" + (++counter);
        }
        return unique;
    }
}
