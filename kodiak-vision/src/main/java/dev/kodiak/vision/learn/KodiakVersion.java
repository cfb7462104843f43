package dev.kodiak.vision.learn;

/** The running Kodiak's version, from the jar manifest (a development build has none). */
final class KodiakVersion {
    private KodiakVersion() {
    }

    static String get() {
        String v = KodiakVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
