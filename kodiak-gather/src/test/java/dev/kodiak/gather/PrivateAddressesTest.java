package dev.kodiak.gather;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateAddressesTest {
    private static Optional<String> why(String literal) throws UnknownHostException {
        return PrivateAddresses.why(InetAddress.getByName(literal)); // literals only: no DNS involved
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1          | loopback",
            "127.255.0.9        | loopback",
            "2130706433         | loopback",            // 127.0.0.1 written as one decimal number
            "::1                | loopback",
            "0.0.0.0            | unspecified",
            "0.1.2.3            | unspecified",
            "::                 | unspecified",
            "10.0.0.1           | private network",
            "10.255.255.255     | private network",
            "172.16.0.1         | private network",
            "172.31.255.254     | private network",
            "192.168.1.1        | private network",
            "169.254.169.254    | link-local",            // cloud metadata
            "100.64.0.1         | carrier-grade NAT",
            "192.0.0.8          | reserved",
            "198.18.0.1         | reserved",
            "224.0.0.1          | multicast",
            "239.255.255.250    | multicast",
            "255.255.255.255    | broadcast",
            "240.0.0.1          | reserved",
            "fc00::1            | unique local",
            "fd12:3456::1       | unique local",
            "fe80::1            | link-local IPv6",
            "febf::1            | link-local IPv6",
            "fec0::1            | site-local",
            "ff02::1            | multicast IPv6",
            "::ffff:127.0.0.1   | loopback",             // IPv4-mapped IPv6
            "::ffff:10.1.2.3    | private network",
            "::ffff:169.254.1.1 | link-local",
            "::127.0.0.1        | IPv4-compatible",
            "64:ff9b::a9fe:a9fe | NAT64",                // 169.254.169.254 through NAT64
            "2002:7f00:1::1     | 6to4",                 // 127.0.0.1 inside 6to4
    })
    void refusesLoopbackPrivateLinkLocalAndSpecialAddresses(String address, String kind) throws UnknownHostException {
        assertThat(why(address)).as(address).hasValueSatisfying(reason -> assertThat(reason).contains(kind));
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "192.167.1.1",
            "169.253.1.1", "100.63.255.255", "100.128.0.1", "11.0.0.1", "126.255.255.255", "223.255.255.255",
            "2606:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
            "fbff::1", "fe7f::1"})
    void acceptsPublicAddresses(String address) throws UnknownHostException {
        assertThat(why(address)).as(address).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"127.0.0.1 | 127.0.0.1", "::1 | [0:0:0:0:0:0:0:1]"})
    void printsAddressesAsTheyAreWrittenInUrls(String address, String text) throws UnknownHostException {
        assertThat(PrivateAddresses.text(InetAddress.getByName(address))).isEqualTo(text);
    }
}
