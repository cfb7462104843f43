package dev.kodiak.learn;

/**
 * bf16 autocast for forward passes on CPUs with AMX or AVX-512 BF16 (weights stay fp32; the loss and the
 * optimizer step run in fp32). Add it with {@code learn.addCallback(new MixedPrecision())}.
 */
public final class MixedPrecision implements Callback {
    @Override
    public int order() {
        return -30;
    }

    @Override
    public void beforeFit(Learner learn) {
        learn.autocast(true);
    }

    @Override
    public void afterFit(Learner learn) {
        learn.autocast(false);
    }
}
