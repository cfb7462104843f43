package dev.kodiak.io;

import dev.kodiak.KodiakException;
import java.util.Locale;

/** The element types a weight file may hold, with their size in bytes and their safetensors spelling. */
public enum DType {
    F64(8, "F64"),
    F32(4, "F32"),
    F16(2, "F16"),
    BF16(2, "BF16"),
    I64(8, "I64"),
    I32(4, "I32"),
    I16(2, "I16"),
    I8(1, "I8"),
    U8(1, "U8"),
    BOOL(1, "BOOL");

    private final int byteSize;
    private final String safetensorsName;

    DType(int byteSize, String safetensorsName) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The name safetensors headers use ("F32", "BF16", ...). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** True for the floating-point types. */
    public boolean isFloating() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The type a safetensors header names; {@code where} says which file and tensor for the error message. */
    public static DType fromSafetensors(String name, String where) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new KodiakException(where + ": unsupported tensor type '" + name + "' (Kodiak reads "
                + String.join(", ", supportedNames()) + ")");
    }

    private static String[] supportedNames() {
        DType[] all = values();
        String[] names = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            names[i] = all[i].safetensorsName;
        }
        return names;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
