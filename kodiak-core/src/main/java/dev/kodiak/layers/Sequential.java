package dev.kodiak.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * Layers applied one after the other, registered as {@code 0, 1, 2, ...} (as PyTorch's {@code nn.Sequential} names
 * them). Loops in Java: libtorch's own Sequential cannot hold layers written in Java.
 */
final class Sequential extends Layer {
    private final List<Layer> layers = new ArrayList<>();

    Sequential(List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new dev.kodiak.KodiakException("a sequential layer needs at least one layer");
        }
        for (int i = 0; i < layers.size(); i++) {
            this.layers.add(add(Integer.toString(i), layers.get(i)));
        }
    }

    @Override
    public dev.kodiak.tensor.Tensor forward(dev.kodiak.tensor.Tensor x) {
        dev.kodiak.tensor.Tensor y = x;
        for (Layer l : layers) {
            y = l.forward(y);
        }
        return y;
    }
}
