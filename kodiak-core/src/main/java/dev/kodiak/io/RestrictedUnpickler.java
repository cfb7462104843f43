package dev.kodiak.io;

import dev.kodiak.KodiakException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the pickle of a PyTorch state dict without executing anything: only the opcodes that
 * {@code torch.save(model.state_dict())} emits are understood, and only four kinds of globals may be named
 * (OrderedDict, the tensor and parameter rebuild functions, typed storages). Those are not looked up or called;
 * the unpickler builds plain Java values for them. Any other global or opcode stops the load with an error that
 * names it, before anything further is read.
 */
final class RestrictedUnpickler {
    /** A whitelisted global; never a Python object, only a marker of which one was named. */
    record Global(String module, String name, DType storageType) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A storage as the persistent id names it: element type, key of its zip entry, element count. */
    record StorageRef(DType dtype, String key, long numel) {
    }

    /** A tensor as {@code _rebuild_tensor_v2} describes it: a strided view into a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    /** A Python tuple (kept apart from lists so argument lists can be checked strictly). */
    record Tuple(List<Object> items) {
    }

    private static final Global ORDERED_DICT = new Global("collections", "OrderedDict", null);
    private static final Global REBUILD_TENSOR = new Global("torch._utils", "_rebuild_tensor_v2", null);
    private static final Global REBUILD_PARAMETER = new Global("torch._utils", "_rebuild_parameter", null);
    private static final Map<String, DType> STORAGES = Map.ofEntries(
            Map.entry("FloatStorage", DType.F32), Map.entry("DoubleStorage", DType.F64),
            Map.entry("HalfStorage", DType.F16), Map.entry("BFloat16Storage", DType.BF16),
            Map.entry("LongStorage", DType.I64), Map.entry("IntStorage", DType.I32),
            Map.entry("ShortStorage", DType.I16), Map.entry("CharStorage", DType.I8),
            Map.entry("ByteStorage", DType.U8), Map.entry("BoolStorage", DType.BOOL));

    /** Real state dicts nest a handful of levels (wrapper dict, OrderedDict, argument tuples). */
    static final int MAX_DEPTH = 100;

    private final byte[] in;
    private final String source;
    private int pos;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    /** Nesting depth of every list, dict and tuple built so far (a value that is none of these has depth 0). */
    private final Map<Object, Integer> depths = new IdentityHashMap<>();
    /** Containers already put inside another; changing one afterwards is how a pickle makes a cycle. */
    private final Set<Object> nested = Collections.newSetFromMap(new IdentityHashMap<>());

    RestrictedUnpickler(byte[] pickle, String source) {
        this.in = pickle;
        this.source = source;
    }

    /** Runs the pickle program and returns the object it builds. */
    Object load() {
        while (true) {
            int at = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> u8(); // PROTO: any version; unsupported opcodes are refused one by one
                case 0x95 -> bytes(8); // FRAME: a length hint only
                case '.' -> {
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw broken("the pickle stops with " + stack.size() + " values on its stack");
                    }
                    return stack.get(0);
                }
                case '(' -> marks.push(stack.size());
                case '}' -> stack.add(new LinkedHashMap<Object, Object>());
                case ']' -> stack.add(new ArrayList<>());
                case ')' -> stack.add(tuple(List.of()));
                case 't' -> stack.add(tuple(popMark()));
                case 0x85 -> stack.add(tupleOf(1));
                case 0x86 -> stack.add(tupleOf(2));
                case 0x87 -> stack.add(tupleOf(3));
                case 'X' -> stack.add(string(length(4)));
                case 0x8c -> stack.add(string(u8()));
                case 0x8d -> stack.add(string(length(8)));
                case 'U' -> stack.add(new String(bytes(u8()), StandardCharsets.ISO_8859_1));
                case 'K' -> stack.add((long) u8());
                case 'M' -> stack.add((long) (u8() | u8() << 8));
                case 'J' -> stack.add((long) ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt());
                case 0x8a -> stack.add(longOf(u8()));
                case 0x8b -> stack.add(longOf(length(4)));
                case 'G' -> stack.add(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'N' -> stack.add(null);
                case 'q' -> memo.put((long) u8(), peek());
                case 'r' -> memo.put((long) length(4), peek());
                case 0x94 -> memo.put((long) memo.size(), peek());
                case 'h' -> stack.add(memoGet(u8()));
                case 'j' -> stack.add(memoGet(length(4)));
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> stack.add(peek());
                case 'c' -> stack.add(global(line(), line()));
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw broken("STACK_GLOBAL needs two strings");
                    }
                    stack.add(global(m, n));
                }
                case 'Q' -> stack.add(persistentLoad(pop()));
                case 'R' -> {
                    Object args = pop();
                    stack.add(reduce(pop(), args));
                }
                case 'b' -> build();
                case 's' -> {
                    Object value = pop();
                    Object key = pop();
                    Map<Object, Object> d = dict(peek());
                    put(d, key, value);
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    Map<Object, Object> d = dict(peek());
                    if (items.size() % 2 != 0) {
                        throw broken("SETITEMS with an odd number of values");
                    }
                    for (int i = 0; i < items.size(); i += 2) {
                        put(d, items.get(i), items.get(i + 1));
                    }
                }
                case 'a' -> {
                    Object value = pop();
                    List<Object> l = list(peek());
                    nest(value, l);
                    l.add(value);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    List<Object> l = list(peek());
                    for (Object item : items) {
                        nest(item, l);
                    }
                    l.addAll(items);
                }
                default -> throw refused("uses the pickle opcode " + opcodeName(op) + " at byte " + at
                        + ", which a state dict never needs");
            }
        }
    }

    private Object global(String module, String name) {
        Global g = new Global(module, name, null);
        if (g.equals(ORDERED_DICT) || g.equals(REBUILD_TENSOR) || g.equals(REBUILD_PARAMETER)) {
            return g;
        }
        if (module.equals("torch") && STORAGES.containsKey(name)) {
            return new Global(module, name, STORAGES.get(name));
        }
        throw refused("references the global " + module + "." + name + ", which a state dict never needs");
    }

    // Persistent ids name storages: ('storage', <storage type global>, key, location, numel).
    private Object persistentLoad(Object pid) {
        if (pid instanceof Tuple t && t.items().size() == 5 && "storage".equals(t.items().get(0))
                && t.items().get(1) instanceof Global g && g.storageType() != null
                && t.items().get(2) instanceof String key && t.items().get(3) instanceof String
                && t.items().get(4) instanceof Long numel && numel >= 0) {
            if (key.isEmpty() || key.contains("/") || key.contains("\\") || key.contains("..")) {
                throw refused("names the storage '" + key + "', which is not a plain entry name");
            }
            return new StorageRef(g.storageType(), key, numel);
        }
        throw refused("uses a persistent id that is not a tensor storage: " + describe(pid));
    }

    private Object reduce(Object callable, Object args) {
        if (!(args instanceof Tuple tuple)) {
            throw broken("REDUCE without an argument tuple");
        }
        List<Object> a = tuple.items();
        if (ORDERED_DICT.equals(callable)) {
            Map<Object, Object> d = new LinkedHashMap<>();
            if (a.size() == 1 && a.get(0) instanceof List<?> pairs) {
                for (Object p : pairs) {
                    if (!(p instanceof Tuple kv) || kv.items().size() != 2) {
                        throw broken("OrderedDict built from something other than pairs");
                    }
                    put(d, kv.items().get(0), kv.items().get(1));
                }
            } else if (!a.isEmpty()) {
                throw broken("OrderedDict called with " + a.size() + " arguments");
            }
            return d;
        }
        if (REBUILD_TENSOR.equals(callable)) {
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
            if (a.size() < 6 || a.size() > 7 || !(a.get(0) instanceof StorageRef storage)
                    || !(a.get(1) instanceof Long offset) || !(a.get(2) instanceof Tuple size)
                    || !(a.get(3) instanceof Tuple stride) || !(a.get(4) instanceof Boolean)
                    || size.items().size() != stride.items().size()) {
                throw broken("_rebuild_tensor_v2 called with unexpected arguments " + describe(args));
            }
            return new TensorRef(storage, offset, longs(size), longs(stride));
        }
        if (REBUILD_PARAMETER.equals(callable)) {
            if (a.size() != 3 || !(a.get(0) instanceof TensorRef t) || !(a.get(1) instanceof Boolean)) {
                throw broken("_rebuild_parameter called with unexpected arguments " + describe(args));
            }
            return t;
        }
        throw refused("calls " + describe(callable) + ", which a state dict never needs");
    }

    // BUILD is only allowed to set an OrderedDict's attributes (torch stores the module versions in _metadata).
    private void build() {
        Object state = pop();
        Object target = peek();
        if (target instanceof Map<?, ?> && (state instanceof Map<?, ?> || state == null)) {
            return; // the attributes are version metadata Kodiak does not need
        }
        throw refused("sets the state of " + describe(target) + ", which a state dict never needs");
    }

    private long[] longs(Tuple t) {
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.items().get(i) instanceof Long v) || v < 0) {
                throw broken("tensor size or stride " + describe(t) + " is not a tuple of non-negative integers");
            }
            out[i] = v;
        }
        return out;
    }

    private Tuple tupleOf(int n) {
        if (stack.size() < n) {
            throw broken("a tuple needs " + n + " values on the stack");
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return tuple(items);
    }

    private Tuple tuple(List<Object> items) {
        Tuple t = new Tuple(items);
        depths.put(t, 1);
        for (Object item : items) {
            nest(item, t);
        }
        return t;
    }

    private void put(Map<Object, Object> dict, Object key, Object value) {
        nest(key, dict);
        nest(value, dict);
        dict.put(key, value); // hashes the key: safe, since its depth is bounded and it holds no cycle
    }

    /*
     * Records that container holds child. Python's pickler fills every list and dict before it nests it anywhere,
     * except when an object contains itself: then the container is referenced (through the memo) while still being
     * filled. So a container that is changed after being nested, or put into itself, means a cycle; and since nested
     * containers never change, the depths recorded here stay exact. Both checks keep hashing, comparing and printing
     * the result from recursing without end.
     */
    private void nest(Object child, Object container) {
        if (nested.contains(container) || child == container) {
            throw broken("the pickle refers to itself: a list, dict or tuple contains itself, which a state dict "
                    + "never does");
        }
        int depth = depthOf(child) + 1;
        if (depth > MAX_DEPTH) {
            throw broken("the pickle nests lists, dicts or tuples more than " + MAX_DEPTH + " deep, which a state dict "
                    + "never does");
        }
        if (depthOf(child) > 0) {
            nested.add(child);
        }
        depths.merge(container, depth, Math::max);
    }

    private int depthOf(Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?> || value instanceof Tuple) {
            return depths.getOrDefault(value, 1);
        }
        return 0;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw broken("a MARK is missing");
        }
        int m = marks.pop();
        if (m > stack.size()) {
            throw broken("the stack shrank below a MARK");
        }
        List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.peek() >= stack.size())) {
            throw broken("a value is missing on the stack");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw broken("a value is missing on the stack");
        }
        return stack.get(stack.size() - 1);
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw broken("the memo has no entry " + index);
        }
        return memo.get(index);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw broken("SETITEM on " + describe(o) + ", which is not a dict");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw broken("APPEND on " + describe(o) + ", which is not a list");
    }

    private int u8() {
        if (pos >= in.length) {
            throw broken("the pickle ends early at byte " + pos);
        }
        return in[pos++] & 0xFF;
    }

    private byte[] bytes(long n) {
        if (n < 0 || n > in.length - pos) {
            throw broken("the pickle ends early: " + n + " bytes wanted at byte " + pos);
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(in, pos, out, 0, (int) n);
        pos += (int) n;
        return out;
    }

    // An unsigned little-endian length of 1, 4 or 8 bytes, bounded by the pickle's own size.
    private int length(int width) {
        byte[] b = bytes(width);
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return checkedLength(v);
    }

    private int checkedLength(long v) {
        if (v < 0 || v > in.length) {
            throw broken("a length of " + v + " is larger than the whole pickle");
        }
        return (int) v;
    }

    private Long longOf(int n) {
        if (n > 8) {
            throw broken("an integer of " + n + " bytes is larger than any size in a state dict");
        }
        byte[] b = bytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        if (n > 0 && n < 8 && (b[n - 1] & 0x80) != 0) {
            v -= 1L << (8 * n); // two's complement of the given width
        }
        return v;
    }

    private String string(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String line() {
        int start = pos;
        while (pos < in.length && in[pos] != '\n') {
            pos++;
        }
        if (pos >= in.length) {
            throw broken("the pickle ends inside a GLOBAL name");
        }
        return new String(in, start, pos++ - start, StandardCharsets.UTF_8);
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Global g) {
            return g.qualified();
        }
        if (o instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (o instanceof Tuple t) {
            List<String> parts = new ArrayList<>();
            for (Object item : t.items()) {
                parts.add(describe(item));
            }
            return "(" + String.join(", ", parts) + ")";
        }
        return o.getClass().getSimpleName().replace("LinkedHashMap", "dict").replace("ArrayList", "list");
    }

    private static String opcodeName(int op) {
        String name = switch (op) {
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 'P' -> "PERSID";
            case 0x82, 0x83, 0x84 -> "EXT";
            case 'S' -> "STRING";
            case 'V' -> "UNICODE";
            case 'I' -> "INT";
            case 'L' -> "LONG";
            case 'B', 'C', 0x8e -> "BINBYTES";
            default -> null;
        };
        String hex = String.format("0x%02x", op);
        return name == null ? hex : name + " (" + hex + ")";
    }

    private KodiakException refused(String what) {
        return new KodiakException("refusing to load " + source + ": the pickle " + what
                + "; this file may be malicious. Load only weights from sources you trust.");
    }

    private KodiakException broken(String what) {
        return new KodiakException("cannot load " + source + ": its pickle is not a plain PyTorch state dict ("
                + what + "). The file is damaged or was not written by torch.save(model.state_dict()).");
    }
}
