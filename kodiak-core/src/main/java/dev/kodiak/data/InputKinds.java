package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of {@link InputKind}s: those on the class path (found with {@link ServiceLoader}) plus any
 * {@link #register}ed. Thread-safe.
 */
public final class InputKinds {
    private static final Map<String, InputKind> KINDS = new LinkedHashMap<>();
    private static boolean loaded;

    private InputKinds() {
    }

    /** Adds (or replaces) a kind under its name. */
    public static synchronized void register(InputKind kind) {
        load();
        KINDS.put(kind.name(), kind);
    }

    /** Every known kind, in the order they were found. */
    public static synchronized List<InputKind> all() {
        load();
        return List.copyOf(KINDS.values());
    }

    /** The kind a model file names; unknown names are refused with the known ones listed. */
    public static synchronized InputKind byName(String name) {
        load();
        InputKind kind = KINDS.get(name);
        if (kind == null) {
            throw new KodiakException("no reader for the input kind '" + name + "' (known: "
                    + String.join(", ", KINDS.keySet()) + "): the module that reads it is not on the class path,"
                    + " or the file was written by a newer Kodiak");
        }
        return kind;
    }

    /**
     * The kind most of {@code files} are recognised as (ties go to the kind found first, images); {@code null} when
     * no kind recognises any of them.
     */
    public static InputKind detect(Collection<Path> files) {
        InputKind best = null;
        long bestCount = 0;
        for (InputKind kind : all()) {
            long count = files.stream().filter(kind::recognises).count();
            if (count > bestCount) {
                best = kind;
                bestCount = count;
            }
        }
        return best;
    }

    private static void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        List<InputKind> found = new ArrayList<>();
        ServiceLoader.load(InputKind.class, InputKinds.class.getClassLoader()).forEach(found::add);
        // images first: they decide ties and are what a folder of unknown files is taken for
        found.sort((a, b) -> Boolean.compare(!"image".equals(a.name()), !"image".equals(b.name())));
        for (InputKind k : found) {
            KINDS.putIfAbsent(k.name(), k);
        }
    }
}
