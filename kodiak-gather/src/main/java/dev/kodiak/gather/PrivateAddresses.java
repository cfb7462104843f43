package dev.kodiak.gather;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Internal: which IP addresses a gather must not fetch from unless told to. Image URLs come from strangers (search
 * results, lists copied from the web); without this a result such as {@code http://169.254.169.254/...} or
 * {@code http://2130706433:8080/admin} (127.0.0.1 as one decimal number) would make Kodiak read the user's own
 * machine, network or cloud metadata service and store the answer in the dataset. Works on addresses, never on host
 * names, so spellings of an address (decimal, octal, IPv4-mapped IPv6, DNS names pointing inside) all end here.
 */
final class PrivateAddresses {
    private PrivateAddresses() {
    }

    /** Why {@code address} is not a public internet address (e.g. "a loopback address"), or empty when it is. */
    static Optional<String> why(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return ipv4(b);
        }
        return ipv6(b, address);
    }

    private static Optional<String> ipv4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 127) {
            return Optional.of("a loopback address (127.0.0.0/8)");
        }
        if (a0 == 0) {
            return Optional.of("an unspecified address (0.0.0.0/8, which reaches this machine)");
        }
        if (a0 == 10 || a0 == 172 && a1 >= 16 && a1 <= 31 || a0 == 192 && a1 == 168) {
            return Optional.of("a private network address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("a link-local address (169.254.0.0/16, where cloud metadata services live)");
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return Optional.of("a carrier-grade NAT address (100.64.0.0/10)");
        }
        if (a0 == 192 && a1 == 0 && a2 == 0 || a0 == 198 && (a1 == 18 || a1 == 19)) {
            return Optional.of("a reserved address (192.0.0.0/24, 198.18.0.0/15)");
        }
        if (a0 >= 224 && a0 <= 239) {
            return Optional.of("a multicast address (224.0.0.0/4)");
        }
        if (a0 >= 240) {
            return Optional.of("a reserved or broadcast address (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6(byte[] b, InetAddress address) {
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) { // ::ffff:a.b.c.d
            return embedded(b, 12, "an IPv4-mapped IPv6 address of ");
        }
        if (isZero(b, 0, 12)) { // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
            return Optional.of(address.isLoopbackAddress() ? "a loopback address (::1)"
                    : "an unspecified or IPv4-compatible IPv6 address (::/96)");
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12)) {
            return embedded(b, 12, "a NAT64 address (64:ff9b::/96) of "); // translated to that IPv4 address
        }
        if (b0 == 0x20 && b1 == 0x02) {
            return embedded(b, 2, "a 6to4 address (2002::/16) of ");
        }
        if ((b0 & 0xfe) == 0xfc) {
            return Optional.of("a unique local IPv6 address (fc00::/7)");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Optional.of("a link-local IPv6 address (fe80::/10)");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return Optional.of("a site-local IPv6 address (fec0::/10)");
        }
        if (b0 == 0xff) {
            return Optional.of("a multicast IPv6 address (ff00::/8)");
        }
        return Optional.empty();
    }

    // An IPv6 address carrying an IPv4 one reaches what the IPv4 one reaches.
    private static Optional<String> embedded(byte[] b, int from, String what) {
        byte[] v4 = {b[from], b[from + 1], b[from + 2], b[from + 3]};
        return ipv4(v4).map(reason -> what + (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "."
                + (v4[3] & 0xff) + ", " + reason);
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** For messages: {@code Inet4Address} and {@code Inet6Address} print as "name/address"; this prints the address. */
    static String text(InetAddress address) {
        String s = address.getHostAddress();
        return address instanceof Inet6Address ? "[" + s + "]" : s;
    }
}
