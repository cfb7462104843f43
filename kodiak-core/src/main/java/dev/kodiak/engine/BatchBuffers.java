package dev.kodiak.engine;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.PointerConsumer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Native memory for the batch-sized tensors made anew for every batch (a loader's input batch), recycled instead
 * of freed. Blocks this large lie above glibc's mmap threshold, so each fresh one is mapped and page-faulted in
 * page by page: a tenth of a loader thread's time at 224 px, measured with async-profiler. A recycled block is
 * already resident.
 *
 * <p>A tensor made here wraps its block with a deleter that libtorch calls when the last reference to the storage
 * goes (a scope closing, autograd dropping a saved input, a view being freed). Only then does the block return to
 * the free list, so a batch that someone keeps is never overwritten. At most {@link #MAX_IDLE_PER_SIZE} idle blocks
 * of each size and {@link #MAX_IDLE_BYTES} in all are kept; the rest are freed at once.
 *
 * <p>Internal; thread-safe.
 */
final class BatchBuffers {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** Below this, malloc serves tensors from memory it already reuses: recycling would gain nothing. */
    static final long MIN_BYTES = 1L << 20;
    static final int MAX_IDLE_PER_SIZE = 3;
    static final long MAX_IDLE_BYTES = 192L << 20;
    private static final long ALIGNMENT = 64; // what libtorch's own CPU allocator gives (vector loads)

    private static final Map<Long, Block> LEASED = new HashMap<>();
    private static final Map<Long, ArrayDeque<Block>> IDLE = new HashMap<>();
    private static long idleBytes;

    /** Called by libtorch with the data pointer when the storage is freed; must live as long as any tensor. */
    private static final PointerConsumer GIVE_BACK = new PointerConsumer() {
        @Override
        public void call(Pointer data) {
            giveBack(data.address());
        }
    };

    static {
        // This class is often first used inside a scope, which would free the native thunk with it.
        GIVE_BACK.retainReference();
    }

    private BatchBuffers() {
    }

    /** A block of malloc'd memory and the 64-byte aligned address handed to libtorch. */
    private record Block(Pointer raw, long address, long bytes) {
    }

    /**
     * An uninitialized tensor of {@code dtype} with the given sizes and strides (any dense layout, e.g.
     * channels-last) on recycled memory. It owns its memory like any tensor and is attached to the innermost
     * open scope.
     */
    static Tensor empty(ScalarType dtype, long[] sizes, long[] strides, long bytes) {
        Block block = take(bytes);
        BytePointer data = new BytePointer(block.raw());
        data.position(block.address() - block.raw().address());
        Tensor t;
        try {
            t = torch.from_blob(data, sizes, strides, GIVE_BACK, new TensorOptions(dtype), new DeviceOptional());
        } catch (RuntimeException e) {
            giveBack(block.address());
            throw e;
        }
        return t;
    }

    /** Idle blocks of {@code bytes}, for tests. */
    static synchronized int idleBlocks(long bytes) {
        ArrayDeque<Block> idle = IDLE.get(bytes);
        return idle == null ? 0 : idle.size();
    }

    private static synchronized Block take(long bytes) {
        ArrayDeque<Block> idle = IDLE.get(bytes);
        Block block = idle == null ? null : idle.pollFirst();
        if (block != null) {
            idleBytes -= bytes;
        } else {
            Pointer raw = Pointer.malloc(bytes + ALIGNMENT);
            if (raw == null || raw.isNull()) {
                throw new OutOfMemoryError("cannot allocate " + bytes + " bytes of native memory for a batch");
            }
            long address = (raw.address() + ALIGNMENT - 1) & -ALIGNMENT;
            block = new Block(raw, address, bytes);
        }
        LEASED.put(block.address(), block);
        return block;
    }

    private static synchronized void giveBack(long address) {
        Block block = LEASED.remove(address);
        if (block == null) {
            return; // only reachable if libtorch reported a pointer twice; freeing it again would be worse
        }
        ArrayDeque<Block> idle = IDLE.computeIfAbsent(block.bytes(), b -> new ArrayDeque<>());
        if (idle.size() < MAX_IDLE_PER_SIZE && idleBytes + block.bytes() <= MAX_IDLE_BYTES) {
            idle.addFirst(block); // the most recently used block is the likeliest to be in cache
            idleBytes += block.bytes();
        } else {
            Pointer.free(block.raw());
        }
    }
}
