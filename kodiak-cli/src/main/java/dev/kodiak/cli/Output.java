package dev.kodiak.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Where a command writes. With {@code --json}, stdout carries JSON only (one object per line) and everything
 * meant for people goes to stderr; without it, people's text goes to stdout.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    Output(CommandLine.Model.CommandSpec spec, boolean json) {
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** A line for people. */
    void say(String format, Object... args) {
        PrintWriter w = json ? err : out;
        w.println(args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args));
        w.flush();
    }

    /** One JSON object on its own line (only with --json). */
    void object(Object value) {
        if (!json) {
            return;
        }
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
        out.flush();
    }

    /** A stream for people's text (the learner's epoch table): stdout, or stderr with --json. */
    java.io.PrintStream humanStream() {
        PrintWriter w = json ? err : out;
        java.io.OutputStream bytes = new java.io.OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                line.write(b);
                if (b == '\n') {
                    flush();
                }
            }

            @Override
            public synchronized void flush() {
                w.print(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                w.flush();
                line.reset();
            }
        };
        return new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A remark for people that is not the command's output (what a default chose), always on stderr. */
    void note(String message) {
        err.println(message);
        err.flush();
    }

    /** A warning for people, always on stderr. */
    void warn(String format, Object... args) {
        err.println("kodiak: WARNING: " + String.format(java.util.Locale.ROOT, format, args));
        err.flush();
    }
}
