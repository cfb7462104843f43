package dev.kodiak.engine.distributed;

import dev.kodiak.KodiakException;
import java.time.Duration;

/**
 * Where and how the ranks of a process group meet: rank 0 listens on {@code host:port} (libtorch's TCPStore), the
 * others connect to it; every collective and every wait of the group gives up after {@code timeout} (Gloo's own
 * default is 30 minutes, far too long to notice a dead machine).
 *
 * @param host address of rank 0 as the other ranks reach it ({@code 127.0.0.1} on one machine)
 * @param port TCP port rank 0 listens on
 * @param worldSize number of ranks (processes) in the group
 * @param rank this process's rank, 0 to {@code worldSize - 1}
 * @param timeout how long a rank waits for the others before failing
 */
public record Rendezvous(String host, int port, int worldSize, int rank, Duration timeout) {
    /** Default timeout: long enough for a slow validation pass on one rank, short enough to notice a dead one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    /** Validates every field; the messages name the flag a user would have to fix. */
    public Rendezvous {
        if (host == null || host.isBlank()) {
            throw new KodiakException("rendezvous address is empty: give rank 0's address as HOST:PORT, "
                    + "e.g. 127.0.0.1:29500");
        }
        if (port < 1 || port > 65535) {
            throw new KodiakException("rendezvous port " + port + " is outside 1..65535");
        }
        if (worldSize < 1) {
            throw new KodiakException("world size (number of processes) must be at least 1, got " + worldSize);
        }
        if (rank < 0 || rank >= worldSize) {
            throw new KodiakException("rank " + rank + " is outside 0.." + (worldSize - 1)
                    + " for a world of " + worldSize + " processes");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new KodiakException("distributed timeout must be positive, got " + timeout);
        }
    }

    /** Parses {@code HOST:PORT} (IPv6 as {@code [::1]:29500}) into a rendezvous with the default timeout. */
    public static Rendezvous parse(String address, int worldSize, int rank) {
        if (address == null) {
            throw new KodiakException("rendezvous address is missing: give rank 0's address as HOST:PORT");
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new KodiakException("rendezvous address '" + address + "' is not HOST:PORT, e.g. 127.0.0.1:29500");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new KodiakException("rendezvous address '" + address + "' has no numeric port after the last ':'");
        }
        return new Rendezvous(host, port, worldSize, rank, DEFAULT_TIMEOUT);
    }

    /** The same rendezvous with another timeout. */
    public Rendezvous withTimeout(Duration newTimeout) {
        return new Rendezvous(host, port, worldSize, rank, newTimeout);
    }

    /** {@code host:port}, for messages. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
