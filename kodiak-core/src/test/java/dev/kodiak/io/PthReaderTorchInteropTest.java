package dev.kodiak.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.testing.PythonTorch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by real {@code torch.save} read back with the values PyTorch reports. */
class PthReaderTorchInteropTest {
    @TempDir
    Path dir;

    private static final String SCRIPT = """
            import collections, json, torch
            torch.manual_seed(0)
            base = torch.randn(4, 6)
            sd = collections.OrderedDict()
            sd['f32'] = torch.randn(2, 3, 4)
            sd['f64'] = torch.randn(5).double()
            sd['f16'] = torch.randn(3, 2).half()
            sd['bf16'] = torch.randn(7).bfloat16()
            sd['i64'] = torch.arange(-3, 3)
            sd['i32'] = torch.arange(4, dtype=torch.int32)
            sd['u8'] = torch.arange(250, 256, dtype=torch.uint8)
            sd['bool'] = torch.tensor([True, False, True])
            sd['scalar'] = torch.tensor(12345678901)
            sd['transposed'] = base.t()            # a strided view
            sd['slice'] = base[1:3, 2:5]           # offset + strides into the same storage
            sd['param'] = torch.nn.Parameter(torch.ones(2))
            torch.save(sd, 'sd.pth')
            out = {k: {'shape': list(v.shape), 'values': v.detach().double().flatten().tolist()} for k, v in sd.items()}
            json.dump(out, open('expected.json', 'w'))
            """;

    @Test
    void readsWhatTorchSaveWritesForEveryTypeAndView() throws Exception {
        PythonTorch.assumeAvailable();
        PythonTorch.run(dir, SCRIPT);
        StateDict d = PthReader.read(dir.resolve("sd.pth"));
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());

        assertThat(d.names()).containsExactly("f32", "f64", "f16", "bf16", "i64", "i32", "u8", "bool", "scalar",
                "transposed", "slice", "param");
        assertThat(d.get("bf16").dtype()).isEqualTo(DType.BF16);
        assertThat(d.get("u8").dtype()).isEqualTo(DType.U8);
        for (String name : d.names()) {
            TensorData t = d.get(name);
            JsonNode e = expected.get(name);
            long[] shape = new long[e.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.get("shape").get(i).asLong();
            }
            assertThat(t.shape()).as(name).containsExactly(shape);
            double[] values = values(t);
            assertThat(values).as(name).hasSize(e.get("values").size());
            for (int i = 0; i < values.length; i++) {
                assertThat(values[i]).as(name + "[" + i + "]").isEqualTo(e.get("values").get(i).asDouble());
            }
        }
    }

    private static double[] values(TensorData t) {
        ByteBuffer b = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) t.numel();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (t.dtype()) {
                case F64 -> b.getDouble(i * 8);
                case I64 -> b.getLong(i * 8);
                case I32 -> b.getInt(i * 4);
                case U8 -> b.get(i) & 0xFF;
                case BOOL -> b.get(i);
                default -> t.toFloats()[i];
            };
        }
        return out;
    }
}
