package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConvolutionTest {

    /**
     * Where the output is one pixel the product path must give libtorch's convolution's output and gradients (input,
     * weight, bias), including exact zeros on the taps that only meet padding.
     */
    @ParameterizedTest(name = "in {0}x{0}, kernel {1}, stride {2}, padding {3}, bias {4}, channels-last {5}")
    @CsvSource({
        "1, 3, 1, 1, false, true",   // ResNet's last stage on 32 px images
        "1, 3, 1, 1, true, false",   // a folded (BatchNorm into bias) convolution, NCHW input
        "2, 3, 2, 1, false, true",   // the stride-2 entry convolution of that stage
        "2, 1, 2, 0, false, true",   // its 1x1 downsample: reads one input pixel of four
        "3, 3, 1, 0, true, true",    // no padding: the whole kernel over the whole input
        "4, 3, 2, 0, false, false",  // input larger than the tap window: the last row and column are never read
    })
    void onePixelOutputMatchesTheConvolutionAndItsGradients(int size, int kernel, int stride, int padding,
                                                           boolean bias, boolean channelsLast) {
        try (var s = StepScope.open()) {
            Engine.seed(3);
            Conv2dImpl module = Layers.conv2d(6, 5, kernel, stride, padding, bias);
            Tensor x = torch.randn(4, 6, size, size);
            if (channelsLast) {
                ChannelsLast.apply(module);
                x = ChannelsLast.of(x);
            }
            x.requires_grad_(true);
            Convolution conv = new Convolution(module);
            assertThat(conv.isProduct(size, size)).isTrue();

            Tensor expected = module.forward(x);
            Tensor dy = torch.randn(expected.sizes());
            expected.mul(dy).sum().backward();
            Tensor expectedInputGrad = x.grad().clone();
            Tensor expectedWeightGrad = module.weight().grad().clone();
            Tensor expectedBiasGrad = bias ? module.bias().grad().clone() : null;
            x.grad().zero_();
            module.weight().grad().zero_();
            if (bias) {
                module.bias().grad().zero_();
            }

            Tensor actual = conv.forward(x);
            assertThat(Tensors.shape(actual)).containsExactly(Tensors.shape(expected));
            assertThat(maxDiff(actual, expected)).isLessThan(1e-5f);
            actual.mul(dy).sum().backward();
            assertThat(maxDiff(x.grad(), expectedInputGrad)).isLessThan(1e-5f);
            assertThat(maxDiff(module.weight().grad(), expectedWeightGrad)).isLessThan(1e-5f);
            if (bias) {
                assertThat(maxDiff(module.bias().grad(), expectedBiasGrad)).isLessThan(1e-5f);
            }
        }
    }

    @Test
    void tapsThatOnlyMeetPaddingGetExactlyZeroGradient() {
        try (var s = StepScope.open()) {
            Conv2dImpl module = Layers.conv2d(3, 2, 3, 1, 1, false);
            new Convolution(module).forward(torch.randn(2, 3, 1, 1)).sum().backward();
            Tensor grad = module.weight().grad();
            Tensor centre = grad.narrow(2, 1, 1).narrow(3, 1, 1);
            assertThat(grad.abs().sum().item_float()).isEqualTo(centre.abs().sum().item_float());
            assertThat(centre.abs().sum().item_float()).isGreaterThan(0f);
        }
    }

    @Test
    void largerOutputsGoToLibtorchsConvolution() {
        try (var s = StepScope.open()) {
            Conv2dImpl module = Layers.conv2d(2, 3, 3, 1, 1, false);
            Tensor x = torch.randn(1, 2, 5, 5);
            Convolution conv = new Convolution(module);
            assertThat(conv.isProduct(5, 5)).isFalse();
            Tensor y = conv.forward(x);
            assertThat(Tensors.shape(y)).containsExactly(1, 3, 5, 5);
            assertThat(maxDiff(y, module.forward(x))).isEqualTo(0f);
        }
    }

    @Test
    void bf16AutocastGivesTheConvolutionsResultWithinBf16Precision() {
        try (var s = StepScope.open()) {
            Engine.seed(5);
            Conv2dImpl module = Layers.conv2d(64, 32, 3, 1, 1, false);
            Tensor x = torch.randn(8, 64, 1, 1);
            Tensor expected = module.forward(x);
            Tensor actual;
            try (Autocast a = Autocast.bf16(true)) {
                actual = new Convolution(module).forward(x);
            }
            assertThat(Tensors.dtype(actual)).isEqualTo(torch.ScalarType.BFloat16);
            float scale = expected.abs().max().item_float();
            assertThat(maxDiff(actual.to(torch.ScalarType.Float), expected)).isLessThan(0.02f * scale);
        }
    }

    private static float maxDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item_float();
    }
}
