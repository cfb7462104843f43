package dev.kodiak.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PthReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTensorsOfAStateDictWithTheirShapesAndValues() throws IOException {
        TorchZip z = new TorchZip().beginDict()
                .tensor("conv.weight", "FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .tensor("bn.num_batches_tracked", "LongStorage", "1", 1, 0, new long[] {}, new long[] {})
                .endDict();
        z.storageFloats("0", 1, 2, 3, 4, 5, 6);
        z.storage("1", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(7).array());
        StateDict d = PthReader.read(z.write(dir.resolve("a.pth")));

        assertThat(d.names()).containsExactly("conv.weight", "bn.num_batches_tracked");
        assertThat(d.get("conv.weight").shape()).containsExactly(2, 3);
        assertThat(d.get("conv.weight").dtype()).isEqualTo(DType.F32);
        assertThat(d.get("conv.weight").toFloats()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(d.get("bn.num_batches_tracked").dtype()).isEqualTo(DType.I64);
        assertThat(ByteBuffer.wrap(d.get("bn.num_batches_tracked").data()).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(7);
    }

    @Test
    void viewsWithOffsetsAndStridesComeOutRowMajor() throws IOException {
        // one storage of 7 floats shared by a transposed 2x3 view (offset 1) and a 1-element view (offset 0)
        TorchZip z = new TorchZip().beginDict()
                .tensor("t", "FloatStorage", "0", 7, 1, new long[] {2, 3}, new long[] {1, 2})
                .tensor("first", "FloatStorage", "0", 7, 0, new long[] {1}, new long[] {1})
                .endDict();
        z.storageFloats("0", 0, 10, 11, 12, 13, 14, 15);
        StateDict d = PthReader.read(z.write(dir.resolve("v.pth")));

        // element (i, j) sits at 1 + i + 2j: rows [10, 12, 14], [11, 13, 15]
        assertThat(d.get("t").toFloats()).containsExactly(10, 12, 14, 11, 13, 15);
        assertThat(d.get("first").toFloats()).containsExactly(0);
    }

    @Test
    void refusesAPickleThatCallsOsSystemAndRunsNothing() throws IOException {
        Path marker = dir.resolve("pwned");
        TorchZip z = new TorchZip().op(0x80).op(2).global("posix", "system")
                .op('(').str("touch " + marker).op('t').op('R').op('.');
        Path file = z.write(dir.resolve("evil.pth"));

        assertThatThrownBy(() -> PthReader.read(file)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("refusing to load " + file)
                .hasMessageContaining("the global posix.system")
                .hasMessageContaining("may be malicious");
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesBuiltinsEvalAndGetattrAndUnknownGlobals() throws IOException {
        for (String[] g : new String[][] {{"builtins", "eval"}, {"__builtin__", "getattr"}, {"torch.nn", "Linear"},
                {"torch", "load"}, {"os", "system"}}) {
            TorchZip z = new TorchZip().op(0x80).op(2).global(g[0], g[1]).op('(').str("1+1").op('t').op('R').op('.');
            Path file = z.write(dir.resolve(g[1] + ".pth"));
            assertThatThrownBy(() -> PthReader.read(file)).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("the global " + g[0] + "." + g[1] + ", which a state dict never needs");
        }
    }

    @Test
    void refusesAMaliciousGlobalHiddenAfterRealTensors() throws IOException {
        TorchZip z = new TorchZip().beginDict()
                .tensor("w", "FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1});
        z.str("payload").global("subprocess", "Popen").op('(').str("id").op('t').op('R').endDict();
        z.storageFloats("0", 1);
        Path file = z.write(dir.resolve("hidden.pth"));

        assertThatThrownBy(() -> PthReader.read(file)).hasMessageContaining("the global subprocess.Popen");
    }

    @Test
    void refusesObjectBuildingOpcodesAndCallsOfAllowedNonFunctions() throws IOException {
        TorchZip inst = new TorchZip().op(0x80).op(2).op('(').op('i').raw("os\nsystem\n".getBytes()).op('.');
        Path instFile = inst.write(dir.resolve("inst.pth"));
        assertThatThrownBy(() -> PthReader.read(instFile)).hasMessageContaining("opcode INST");

        // a storage type is allowed as a name, but calling it is not
        TorchZip call = new TorchZip().op(0x80).op(2).global("torch", "FloatStorage").op(')').op('R').op('.');
        Path callFile = call.write(dir.resolve("call.pth"));
        assertThatThrownBy(() -> PthReader.read(callFile)).hasMessageContaining("calls torch.FloatStorage");
    }

    @Test
    void refusesPersistentIdsThatAreNotStoragesOrEscapeTheArchive() throws IOException {
        TorchZip z = new TorchZip().op(0x80).op(2)
                .op('(').str("storage").global("torch", "FloatStorage").str("../../etc/passwd").str("cpu").integer(1)
                .op('t').op('Q').op('.');
        Path file = z.write(dir.resolve("escape.pth"));
        assertThatThrownBy(() -> PthReader.read(file)).hasMessageContaining("not a plain entry name");
    }

    @Test
    void aTruncatedZipIsAClearError() throws IOException {
        TorchZip z = new TorchZip().beginDict()
                .tensor("w", "FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1}).endDict();
        z.storageFloats("0", 1, 2, 3, 4);
        Path full = z.write(dir.resolve("full.pth"));
        byte[] bytes = Files.readAllBytes(full);
        Path cut = Files.write(dir.resolve("cut.pth"), Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> PthReader.read(cut)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("cannot load " + cut)
                .hasMessageContaining("truncated or damaged");
    }

    @Test
    void aStorageShorterThanDeclaredOrAViewPastItsEndIsRefused() throws IOException {
        TorchZip shortStorage = new TorchZip().beginDict()
                .tensor("w", "FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1}).endDict();
        shortStorage.storageFloats("0", 1, 2);
        Path a = shortStorage.write(dir.resolve("short.pth"));
        assertThatThrownBy(() -> PthReader.read(a)).hasMessageContaining("should hold 16 bytes but has 8");

        TorchZip pastEnd = new TorchZip().beginDict()
                .tensor("w", "FloatStorage", "0", 2, 1, new long[] {4}, new long[] {1}).endDict();
        pastEnd.storageFloats("0", 1, 2);
        Path b = pastEnd.write(dir.resolve("past.pth"));
        assertThatThrownBy(() -> PthReader.read(b)).hasMessageContaining("reaches element 4 of a storage of 2");
    }

    @Test
    void legacyFilesAndNonZipFilesAreExplained() throws IOException {
        Path legacy = Files.write(dir.resolve("old.pth"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        assertThatThrownBy(() -> PthReader.read(legacy)).hasMessageContaining("legacy (pre-1.6)");
        Path text = Files.writeString(dir.resolve("notes.pth"), "hello");
        assertThatThrownBy(() -> PthReader.read(text)).hasMessageContaining("not a PyTorch .pth file");
    }

    @Test
    void aPickleThatIsNotAStateDictIsRefused() throws IOException {
        TorchZip z = new TorchZip().op(0x80).op(2).op(']').integer(1).op('a').op('.');
        Path file = z.write(dir.resolve("list.pth"));
        assertThatThrownBy(() -> PthReader.read(file)).hasMessageContaining("does not hold a state dict");
    }

    @Test
    void aTruncatedPickleIsRefused() throws IOException {
        TorchZip z = new TorchZip().beginDict();
        z.str("w");
        Path file = z.write(dir.resolve("trunc.pth"));
        assertThatThrownBy(() -> PthReader.read(file)).hasMessageContaining("ends early");
    }

    @Test
    void aListThatContainsItselfIsRefusedAsSelfReferring() throws IOException {
        // L = []; L.append(L); {L: 1}: hashing L as a dict key would recurse until the stack overflows
        TorchZip z = new TorchZip().op(0x80).op(2).op('}').op(']').op('q').op(0).op('h').op(0).op('a')
                .integer(1).op('s').op('.');
        Path file = z.write(dir.resolve("self.pth"));
        assertThatThrownBy(() -> PthReader.read(file)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("cannot load " + file).hasMessageContaining("the pickle refers to itself");
    }

    @Test
    void aCycleThroughAnotherContainerIsRefusedToo() throws IOException {
        // L = []; T = (L,); L.append(T); {T: 1}
        TorchZip z = new TorchZip().op(0x80).op(2).op('}').op(']').op('q').op(0).op('h').op(0).op(0x85)
                .op('q').op(1).op('0').op('h').op(0).op('h').op(1).op('a').op('0').op('h').op(1).integer(1).op('s')
                .op('.');
        Path file = z.write(dir.resolve("cycle.pth"));
        assertThatThrownBy(() -> PthReader.read(file)).hasMessageContaining("the pickle refers to itself");
    }

    @Test
    void listsNestedDeeperThanAnyStateDictAreRefused() throws IOException {
        // 200,000 lists each inside the next, used as a dict key: hashing it would overflow the stack
        TorchZip z = new TorchZip().op(0x80).op(2).op('}');
        for (int i = 0; i < 200_000; i++) {
            z.op(']');
        }
        for (int i = 1; i < 200_000; i++) {
            z.op('a');
        }
        z.integer(1).op('s').op('.');
        Path file = z.write(dir.resolve("deep.pth"));
        assertThatThrownBy(() -> PthReader.read(file)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("nests lists, dicts or tuples more than 100 deep");
    }

    @Test
    void aStrideOf2To62IsRefusedInsteadOfOverflowingTheBoundsCheck() throws IOException {
        TorchZip z = new TorchZip().beginDict()
                .tensor("w", "FloatStorage", "0", 4, 0, new long[] {3}, new long[] {1L << 62}).endDict();
        z.storageFloats("0", 1, 2, 3, 4);
        Path file = z.write(dir.resolve("stride.pth"));
        assertThatThrownBy(() -> PthReader.read(file)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("refusing " + file)
                .hasMessageContaining("tensor w of shape [3] has strides [4611686018427387904] that reach past");
    }

    @Test
    void storagesLargerThanTheLimitsAreRefusedBeforeAnyIsInflated() throws IOException {
        // 6 GB of floats declared, deflated (a "bomb"): refused from the pickle, before inflating a byte
        TorchZip z = new TorchZip().beginDict()
                .tensor("fc.weight", "FloatStorage", "0", 1_500_000_000L, 0, new long[] {1_500_000_000L},
                        new long[] {1}).endDict();
        z.deflate = true;
        z.storage("0", new byte[1 << 20]);
        Path file = z.write(dir.resolve("bomb.pth"));
        assertThatThrownBy(() -> PthReader.read(file)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("refusing " + file + ": its tensors declare 6000000000 bytes, more than the "
                        + "1073741824 that any model Kodiak reads takes");
        ReadLimits tiny = ReadLimits.forTensors(1000, 1, "a tiny model");
        assertThatThrownBy(() -> PthReader.read(file, tiny))
                .hasMessageContaining("more than the 1000 that a tiny model takes");
    }

    @Test
    void aViewThatRepeatsItsStorageCountsAgainstTheLimits() throws IOException {
        // one float seen 2e9 times through a zero stride would be copied into 8 GB
        TorchZip z = new TorchZip().beginDict()
                .tensor("w", "FloatStorage", "0", 1, 0, new long[] {2_000_000_000L}, new long[] {0}).endDict();
        z.storageFloats("0", 1);
        Path file = z.write(dir.resolve("repeat.pth"));
        assertThatThrownBy(() -> PthReader.read(file)).hasMessageContaining("its tensors declare 8000000000 bytes");
    }

    @Test
    void shapesThatDoNotFitTheExpectedOnesAreRefusedBeforeReading() throws IOException {
        TorchZip z = new TorchZip().beginDict()
                .tensor("fc.weight", "FloatStorage", "0", 0, 0, new long[] {2_000_000_000L, 0}, new long[] {0, 1})
                .endDict();
        z.storage("0", new byte[0]);
        Path file = z.write(dir.resolve("shape.pth"));
        ReadLimits limits = ReadLimits.forTensors(1 << 20, 10, "a small classifier")
                .withShapes(java.util.Map.of("fc.weight", new long[] {ReadLimits.ANY, 512}), false);
        assertThatThrownBy(() -> PthReader.read(file, limits)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("tensor fc.weight has the shape [2000000000, 0], but in a small classifier it "
                        + "is [N, 512]");
    }
}
