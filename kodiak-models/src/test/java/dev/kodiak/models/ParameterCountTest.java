package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The counts torchvision's documentation publishes for its ImageNet classifiers. */
class ParameterCountTest {
    @Test
    void resnetsHaveTorchvisionsPublishedParameterCounts() {
        assertThat(ParameterCount.imagenet(Architectures.RESNET18)).isEqualTo(11_689_512L);
        assertThat(ParameterCount.imagenet(Architectures.RESNET50)).isEqualTo(25_557_032L);
    }
}
