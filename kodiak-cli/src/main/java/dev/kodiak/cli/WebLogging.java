package dev.kodiak.cli;

/** Keeps Jetty's and Javalin's start-up chatter out of the terminal (warnings and errors still show). */
final class WebLogging {
    private WebLogging() {
    }

    static void quiet() {
        // slf4j-simple reads a logger's level when the logger is created, so this works before the server starts
        for (String name : new String[] {"org.eclipse.jetty", "io.javalin"}) {
            String key = "org.slf4j.simpleLogger.log." + name;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }
}
