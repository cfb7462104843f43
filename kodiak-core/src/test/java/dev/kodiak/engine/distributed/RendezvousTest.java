package dev.kodiak.engine.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    @Test
    void parsesHostAndPort() {
        Rendezvous r = Rendezvous.parse("10.0.0.5:29500", 4, 3);
        assertThat(r.host()).isEqualTo("10.0.0.5");
        assertThat(r.port()).isEqualTo(29500);
        assertThat(r.timeout()).isEqualTo(Rendezvous.DEFAULT_TIMEOUT);
        assertThat(r.address()).isEqualTo("10.0.0.5:29500");
    }

    @Test
    void parsesBracketedIpv6() {
        Rendezvous r = Rendezvous.parse("[::1]:29500", 2, 0);
        assertThat(r.host()).isEqualTo("::1");
        assertThat(r.address()).isEqualTo("[::1]:29500");
    }

    @Test
    void rejectsWhatCannotWork() {
        assertThatThrownBy(() -> Rendezvous.parse("10.0.0.5", 2, 0))
                .isInstanceOf(KodiakException.class).hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> Rendezvous.parse("host:port", 2, 0))
                .isInstanceOf(KodiakException.class).hasMessageContaining("no numeric port");
        assertThatThrownBy(() -> Rendezvous.parse("host:70000", 2, 0))
                .isInstanceOf(KodiakException.class).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> Rendezvous.parse("host:29500", 2, 2))
                .isInstanceOf(KodiakException.class).hasMessageContaining("rank 2 is outside 0..1");
        assertThatThrownBy(() -> Rendezvous.parse("host:29500", 0, 0))
                .isInstanceOf(KodiakException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Rendezvous.parse("host:29500", 2, 0).withTimeout(Duration.ZERO))
                .isInstanceOf(KodiakException.class).hasMessageContaining("timeout must be positive");
    }
}
