package dev.kodiak.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetBlocksTest {
    @Test
    void categoryVocabIsSortedAndEncodesIndices() {
        TargetBlock b = CategoryBlock.create().fit(List.of("teddy", "black", "grizzly", "black"));
        assertThat(b.vocab()).containsExactly("black", "grizzly", "teddy");
        assertThat(b.encode("teddy", new float[3])).isEqualTo(2);
        assertThat(b.isIndex()).isTrue();
        assertThatThrownBy(() -> b.encode("panda", new float[3])).isInstanceOf(KodiakException.class)
                .hasMessageContaining("panda");
    }

    @Test
    void multiCategoryIsMultiHot() {
        TargetBlock b = MultiCategoryBlock.create().fit(List.of("dog cat", List.of("bird"), "cat"));
        assertThat(b.vocab()).containsExactly("bird", "cat", "dog");
        float[] f = new float[3];
        assertThat(b.encode("dog  cat", f)).isEqualTo(-1);
        assertThat(f).containsExactly(0f, 1f, 1f);
        assertThat(b.caption(List.of("cat", "dog"))).isEqualTo("cat;dog");
        assertThat(b.defaultLoss()).isEqualTo("bce_with_logits");
    }

    @Test
    void regressionTakesNumbersInManyShapes() {
        TargetBlock b = RegressionBlock.create().fit(List.of("1.5 2", "3,4"));
        assertThat(b.vocab()).containsExactly("value0", "value1");
        float[] f = new float[2];
        b.encode(new double[] {7, 8}, f);
        assertThat(f).containsExactly(7f, 8f);
        b.encode("0.25, -1", f);
        assertThat(f).containsExactly(0.25f, -1f);
        assertThatThrownBy(() -> b.encode(3.0, f)).isInstanceOf(KodiakException.class).hasMessageContaining("expected 2");
        assertThat(RegressionBlock.create().fit(List.of(2.5)).vocab()).containsExactly("value");
        assertThatThrownBy(() -> RegressionBlock.values("tall")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("not a number");
    }
}
