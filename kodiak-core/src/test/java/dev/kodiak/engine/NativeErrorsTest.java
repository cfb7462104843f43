package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kodiak.KodiakException;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** ENGINE.md #8: native errors arrive as RuntimeException with a C++ backtrace; users get one line. */
class NativeErrorsTest {

    @Test
    void shapeMismatchedMatmulBecomesAShortKodiakError() {
        try (var s = StepScope.open()) {
            Tensor a = Tensors.fromFloats(new float[6], 2, 3);
            Tensor b = Tensors.fromFloats(new float[20], 4, 5);
            Throwable raw = catchThrowable(() -> a.matmul(b));
            assertThat(raw).as("what libtorch throws without Kodiak").isInstanceOf(RuntimeException.class)
                    .isNotInstanceOf(KodiakException.class);
            assertThat(raw.getMessage()).as("libtorch appends a C++ backtrace").contains("\n");

            Throwable e = catchThrowable(() -> NativeErrors.call("classifier head on batch 3", () -> a.matmul(b)));
            assertThat(e).isInstanceOf(KodiakException.class).hasCause(raw.getClass().cast(e.getCause()));
            assertThat(e.getMessage())
                    .startsWith("classifier head on batch 3: ")
                    .contains("2x3").contains("4x5")
                    .doesNotContain("\n").doesNotContain("frame #").doesNotContain("Exception raised from");
            assertThat(e.getMessage().length()).isLessThan(200);
            assertThat(e.getCause().getMessage()).as("the full text stays available for --debug")
                    .contains("2x3");
        }
    }

    @Test
    void firstMeaningfulLineIsKept() {
        String cpp = "\nmat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)\n"
                + "Exception raised from meta at aten/src/ATen/native/LinearAlgebra.cpp:191 (most recent call first):\n"
                + "frame #0: c10::Error::Error(...) + 0x8d (0x7f in libc10.so)\n";
        assertThat(NativeErrors.shortMessage(cpp)).isEqualTo("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
        assertThat(NativeErrors.shortMessage(null)).isEmpty();
        assertThat(NativeErrors.shortMessage("x".repeat(1000))).hasSize(400).endsWith("...");
    }

    @Test
    void kodiakErrorsPassThroughAndRunWrapsToo() {
        KodiakException mine = new KodiakException("already clear");
        assertThatThrownBy(() -> NativeErrors.run("ctx", () -> {
            throw mine;
        })).isSameAs(mine);
        assertThatThrownBy(() -> NativeErrors.run("loading weights", () -> {
            throw new IllegalStateException("bad\nframe #0: junk");
        })).isInstanceOf(KodiakException.class).hasMessage("loading weights: bad");
        assertThat(NativeErrors.call("ctx", () -> 5)).isEqualTo(5);
    }
}
