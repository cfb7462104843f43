package dev.kodiak.cli;

import picocli.CommandLine;

/** The version printed by {@code kodiak --version}: the jar's implementation version. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"kodiak " + (v == null ? "development build" : v)};
    }
}
