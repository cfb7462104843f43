package dev.kodiak.engine;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/**
 * Run in a child JVM by {@link ColdCacheTest} with an empty JavaCPP cache directory: loads libtorch through
 * {@link Engine#init()} and prints a tensor sum. With {@code raw} it loads the way a plain JavaCPP program does,
 * without Engine's unpack-everything-first step (the bug's control).
 */
public final class ColdCacheMain {
    private ColdCacheMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("raw")) {
            Loader.load(torch.class);
        } else {
            Engine.init();
        }
        try (var s = StepScope.open()) {
            System.out.println("sum=" + Tensors.scalar(Tensors.fromFloats(new float[] {1.5f, 2f, 3.25f}, 3).sum()));
        }
    }
}
