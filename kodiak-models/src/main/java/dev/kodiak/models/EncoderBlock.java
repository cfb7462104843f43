package dev.kodiak.models;

import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.GELUImpl;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A Vision Transformer encoder block with torchvision's names: {@code ln_1}, {@code self_attention} (PyTorch's
 * {@code MultiheadAttention}: {@code in_proj_weight [3E, E]} holding the query, key and value projections stacked,
 * {@code in_proj_bias}, {@code out_proj}), {@code ln_2}, and {@code mlp.0} / {@code mlp.3} (linear E → M → E with GELU
 * between). Pre-norm residuals: {@code x + attention(ln_1(x))}, then {@code + mlp(ln_2(·))}. torchvision's
 * ViT-B/16 has no dropout (p = 0), so none is applied.
 */
final class EncoderBlock extends NativeModule {
    private final LayerNormImpl ln1;
    private final SelfAttention attention;
    private final LayerNormImpl ln2;
    private final LinearImpl mlpIn;
    private final LinearImpl mlpOut;

    EncoderBlock(long hidden, long heads, long mlp) {
        ln1 = add("ln_1", LayerNorms.over(hidden));
        attention = add("self_attention", new SelfAttention(hidden, heads));
        ln2 = add("ln_2", LayerNorms.over(hidden));
        ModuleListImpl block = add("mlp", new ModuleListImpl());
        mlpIn = append(block, new LinearImpl(hidden, mlp));
        append(block, new GELUImpl());
        append(block, new DropoutImpl(0.0));
        mlpOut = append(block, new LinearImpl(mlp, hidden));
        append(block, new DropoutImpl(0.0));
        initialise();
    }

    /** The block's output for tokens {@code x [N, L, E]}; intermediates are released on the way. */
    Tensor forward(Tensor x) {
        Tensor normed = ln1.forward(x);
        Tensor attended = attention.forward(normed);
        Tensors.release(normed);
        attended.add_(x); // the first residual; attended's handle is the sum
        Tensor y = ln2.forward(attended);
        Tensor wide = mlpIn.forward(y);
        Tensors.release(y);
        Tensor act = torch.gelu(wide); // exact (erf) GELU, nn.GELU()'s default
        Tensors.release(wide);
        Tensor out = mlpOut.forward(act);
        Tensors.release(act);
        out.add_(attended);
        Tensors.release(attended);
        return out;
    }

    // torchvision's MLPBlock: Xavier-uniform weights, biases from a normal of std 1e-6.
    private void initialise() {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            for (LinearImpl l : new LinearImpl[] {mlpIn, mlpOut}) {
                torch.xavier_uniform_(l.weight());
                torch.normal_(l.bias(), 0.0, 1e-6);
            }
        }
    }
}
