package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import org.junit.jupiter.api.Test;

class DeviceTest {

    @Test
    void parsesTheCommandLineSpellings() {
        assertThat(Device.parse("cpu")).isEqualTo(Device.cpu());
        assertThat(Device.parse(" CPU ")).isEqualTo(Device.cpu());
        assertThat(Device.parse("cuda")).isEqualTo(Device.cuda(0));
        assertThat(Device.parse("cuda:1")).isEqualTo(Device.cuda(1));
        assertThat(Device.parse("cuda:1").toString()).isEqualTo("cuda:1");
        assertThat(Device.parse(Device.cuda(3).toString())).isEqualTo(Device.cuda(3));
        assertThat(Device.parse("auto")).isEqualTo(Device.auto());
    }

    @Test
    void badSpellingsSayWhatIsAccepted() {
        for (String bad : new String[] {"gpu0", "cuda:", "cuda:-1", "cuda:x", "tpu", ""}) {
            assertThatThrownBy(() -> Device.parse(bad)).as(bad).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("cpu, cuda, cuda:N");
        }
        assertThatThrownBy(() -> new Device(Device.Kind.CPU, 1)).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> Device.cuda(-1)).isInstanceOf(KodiakException.class);
    }

    @Test
    void autoIsTheCpuWithTheCpuBuild() {
        // these machines have no GPU and the default build ships CPU natives only
        assertThat(Device.cudaAvailable()).isFalse();
        assertThat(Device.auto()).isEqualTo(Device.cpu());
    }
}
