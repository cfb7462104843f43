package dev.kodiak.engine.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BucketsTest {
    private static final Object F = "float";
    private static final Object H = "half";

    @Test
    void fillsBucketsInOrderUpToTheCap() {
        assertThat(Buckets.layout(new long[]{40, 40, 40, 10}, new Object[]{F, F, F, F}, 100))
                .isEqualTo(List.of(List.of(0, 1), List.of(2, 3)));
    }

    @Test
    void aTensorLargerThanTheCapGetsABucketOfItsOwn() {
        assertThat(Buckets.layout(new long[]{10, 500, 10}, new Object[]{F, F, F}, 100))
                .isEqualTo(List.of(List.of(0), List.of(1), List.of(2)));
    }

    @Test
    void typesNeverShareABucket() {
        assertThat(Buckets.layout(new long[]{10, 10, 10}, new Object[]{F, H, H}, 100))
                .isEqualTo(List.of(List.of(0), List.of(1, 2)));
    }

    @Test
    void theFirstBucketHasItsOwnCap() {
        assertThat(Buckets.layout(new long[]{30, 30, 30, 30}, new Object[]{F, F, F, F}, 40, 100))
                .isEqualTo(List.of(List.of(0), List.of(1, 2, 3)));
    }
}
