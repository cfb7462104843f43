package dev.kodiak.io;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A network's weights by name, in file order (PyTorch calls this a state dict), plus free-form string metadata
 * (safetensors' {@code __metadata__}). Immutable.
 */
public final class StateDict {
    private final Map<String, TensorData> tensors;
    private final Map<String, String> metadata;

    private StateDict(Map<String, TensorData> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** The tensors in the given order; names must be unique. */
    public static StateDict of(List<TensorData> tensors) {
        return of(tensors, Map.of());
    }

    /** The tensors in the given order with metadata; names must be unique. */
    public static StateDict of(List<TensorData> tensors, Map<String, String> metadata) {
        Map<String, TensorData> byName = new LinkedHashMap<>();
        for (TensorData t : tensors) {
            if (byName.put(t.name(), t) != null) {
                throw new KodiakException("the tensor name " + t.name() + " appears twice");
            }
        }
        return new StateDict(byName, new LinkedHashMap<>(metadata));
    }

    /** The tensor called {@code name}, or null. */
    public TensorData get(String name) {
        return tensors.get(name);
    }

    /** Whether a tensor is called {@code name}. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The names, in order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The tensors, in order. */
    public List<TensorData> tensors() {
        return List.copyOf(tensors.values());
    }

    /** The metadata (empty for {@code .pth} files). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The number of tensors. */
    public int size() {
        return tensors.size();
    }

    /** The total number of elements over all tensors. */
    public long numel() {
        long n = 0;
        for (TensorData t : tensors.values()) {
            n += t.numel();
        }
        return n;
    }

    /** Only the tensors whose names pass {@code keep}, order and metadata unchanged. */
    public StateDict filter(Predicate<String> keep) {
        List<TensorData> kept = new ArrayList<>();
        for (TensorData t : tensors.values()) {
            if (keep.test(t.name())) {
                kept.add(t);
            }
        }
        return of(kept, metadata);
    }

    /** The tensors whose names start with {@code prefix}, renamed without it (e.g. "body." of a bigger network). */
    public StateDict withoutPrefix(String prefix) {
        List<TensorData> kept = new ArrayList<>();
        for (TensorData t : tensors.values()) {
            if (t.name().startsWith(prefix) && t.name().length() > prefix.length()) {
                kept.add(t.withName(t.name().substring(prefix.length())));
            }
        }
        return of(kept, metadata);
    }

    /** Every tensor renamed with {@code prefix} in front. */
    public StateDict withPrefix(String prefix) {
        List<TensorData> renamed = new ArrayList<>();
        for (TensorData t : tensors.values()) {
            renamed.add(t.withName(prefix + t.name()));
        }
        return of(renamed, metadata);
    }

    /** This dict with other metadata. */
    public StateDict withMetadata(Map<String, String> newMetadata) {
        return new StateDict(new LinkedHashMap<>(tensors), new LinkedHashMap<>(newMetadata));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateDict d && tensors.equals(d.tensors) && metadata.equals(d.metadata);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode() * 31 + metadata.hashCode();
    }

    @Override
    public String toString() {
        return "StateDict of " + tensors.size() + " tensors, " + numel() + " numbers";
    }
}
