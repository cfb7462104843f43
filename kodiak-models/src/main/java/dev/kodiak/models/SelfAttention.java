package dev.kodiak.models;

import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Multi-head self-attention with the parameter names and shapes of PyTorch's {@code nn.MultiheadAttention} (equal
 * embedding sizes, with biases): {@code in_proj_weight [3E, E]} and {@code in_proj_bias [3E]} (the query, key and
 * value projections stacked in that order) and {@code out_proj}. libtorch's {@code MultiheadAttentionImpl} has the
 * same names but works on [L, N, E] through the unfused path and its presets do not expose {@code out_proj}; this
 * module runs batch-first tokens through libtorch's fused scaled-dot-product attention instead.
 */
final class SelfAttention extends NativeModule {
    private final long heads;
    private final Tensor inWeight;
    private final Tensor inBias;
    private final LinearImpl outProj;

    SelfAttention(long hidden, long heads) {
        this.heads = heads;
        // register_parameter returns a reference into the module's parameter table, which moves as the table grows:
        // a handle of our own (new Tensor) stays valid
        inWeight = new Tensor(register_parameter("in_proj_weight", torch.empty(3 * hidden, hidden)));
        inBias = new Tensor(register_parameter("in_proj_bias", torch.zeros(3 * hidden)));
        outProj = add("out_proj", new LinearImpl(hidden, hidden));
        // PyTorch's initialisation: Xavier-uniform projections in, zero biases; out_proj's weight as nn.Linear's
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            torch.xavier_uniform_(inWeight);
            outProj.bias().zero_();
        }
    }

    /** softmax(q·kᵀ/√d)·v per head for tokens {@code x [N, L, E]}, heads concatenated, then {@code out_proj}. */
    Tensor forward(Tensor x) {
        long n = x.size(0);
        long tokens = x.size(1);
        long hidden = x.size(2);
        Tensor qkv = torch.linear(x, inWeight, inBias);
        Tensor split = qkv.view(n, tokens, 3, heads, hidden / heads).permute(2, 0, 3, 1, 4); // [3, N, H, L, D]
        Tensors.release(qkv);
        TensorVector qkvs = split.unbind(0);
        Tensors.release(split);
        Tensor context = torch.scaled_dot_product_attention(qkvs.get(0), qkvs.get(1), qkvs.get(2)); // [N, H, L, D]
        qkvs.close();
        Tensor merged = context.transpose(1, 2).reshape(n, tokens, hidden);
        Tensors.release(context);
        Tensor out = outProj.forward(merged);
        Tensors.release(merged);
        return out;
    }
}
