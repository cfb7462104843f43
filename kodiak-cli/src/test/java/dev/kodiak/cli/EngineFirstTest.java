package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.Engine;
import dev.kodiak.gather.Gatherer;
import dev.kodiak.serve.PredictServer;
import dev.kodiak.testing.JavaProcess;
import dev.kodiak.models.ResNet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * ENGINE.md's cold-cache crash: the first touch of any libtorch class (its static initializer loads the natives the
 * plain JavaCPP way) must come after {@link Engine#init()}, which unpacks every native library first. The JVM
 * initializes a class before running any of its code, so the rule that keeps this true whatever the entry point is:
 * every Kodiak class whose code names a libtorch type, or builds a network (a class extending one), starts its
 * static initializer with {@code Engine.init()}. Networks themselves are exempt: their libtorch superclass is
 * initialized before any code of theirs can run, so whoever constructs them does it. Interfaces run no initializer.
 * The CLI's verbs are exempt too: picocli builds every verb at start-up, and {@link Main} loads the engine before it
 * runs one that computes. Scans the compiled classes of every module (the CLI's test classpath holds them all).
 */
class EngineFirstTest {
    private static final String TORCH = "org/bytedeco/pytorch/";
    private static final String INIT_CALL = "// Method dev/kodiak/engine/Engine.init:()V";

    @Test
    void everyClassThatTouchesLibtorchInitializesTheEngineFirst() throws Exception {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (Class<?> anchor : List.of(Engine.class, ResNet.class, PredictServer.class, Gatherer.class, Main.class)) {
            readClasses(anchor, classes);
        }
        List<String> networks = new ArrayList<>();
        for (String name : classes.keySet()) {
            if (extendsLibtorch(name)) {
                networks.add(name.replace('.', '/'));
            }
        }
        assertThat(networks).as("the scan sees the networks").contains("dev/kodiak/models/ResNet");

        TreeSet<String> missing = new TreeSet<>();
        int checked = 0;
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            String name = c.getKey();
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            boolean exempt = type.isInterface() || name.equals(Engine.class.getName()) || isVerb(type)
                    || networks.contains(name.replace('.', '/')) || isNestedInCompliantClass(type);
            if (exempt || !touchesLibtorch(c.getValue(), networks)) {
                continue;
            }
            checked++;
            if (!staticInitializerStartsWithEngineInit(type)) {
                missing.add(name);
            }
        }
        assertThat(checked).as("classes that touch libtorch were found").isGreaterThan(20);
        assertThat(missing)
                .as("these classes touch libtorch but do not start with `static { Engine.init(); }` (put it before "
                        + "any static field): on an empty JavaCPP cache, being the first to touch libtorch crashes "
                        + "the JVM (ENGINE.md, cold cache)")
                .isEmpty();
    }

    @Test
    @Tag("slow") // three JVMs, one of which loads libtorch
    void verbsThatNeverComputeStartWithoutLibtorchAndTheOthersLoadItThroughTheEngine(@TempDir Path dir)
            throws IOException {
        Path images = TestImages.folders(dir.resolve("images"), 1, "cats");
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"verify", images.toString(), "--dry-run"})) {
            List<String> order = initializedClasses(args);
            assertThat(order).as(String.join(" ", args)).contains("dev/kodiak/cli/Main")
                    .noneMatch(c -> c.startsWith(TORCH));
        }
        List<String> order = initializedClasses("weights", "list", "--cache-dir", dir.resolve("cache").toString());
        int engine = order.indexOf("dev/kodiak/engine/Engine");
        int firstTorch = order.indexOf(order.stream().filter(c -> c.startsWith(TORCH)).findFirst().orElseThrow());
        assertThat(engine).as("Engine initialized before any libtorch class").isNotNegative().isLessThan(firstTorch);
    }

    /** The classes a CLI run in a fresh JVM initializes, in order (the JVM's class+init log). */
    private static List<String> initializedClasses(String... args) {
        JavaProcess.Result r = JavaProcess.of(Main.class).jvmArgs("-Xlog:class+init=info:stderr").args(args)
                .timeout(Duration.ofMinutes(2)).run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        List<String> order = new ArrayList<>();
        Matcher m = Pattern.compile("Initializing '([^']+)'").matcher(r.stderr());
        while (m.find()) {
            order.add(m.group(1));
        }
        return order;
    }

    /** A nested class (anonymous classes, a verb's helpers) runs after its top-level class's initializer did. */
    private static boolean isNestedInCompliantClass(Class<?> type) throws URISyntaxException {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        return top != type && (isVerb(top) || staticInitializerStartsWithEngineInit(top));
    }

    /** A picocli command of the CLI (or a base class of some), whose code only runs through {@link Main}. */
    private static boolean isVerb(Class<?> type) {
        if (!type.getPackageName().equals(Main.class.getPackageName())) {
            return false;
        }
        return type.isAnnotationPresent(CommandLine.Command.class) || Runnable.class.isAssignableFrom(type);
    }

    private static boolean extendsLibtorch(String name) throws ClassNotFoundException {
        for (Class<?> c = Class.forName(name, false, EngineFirstTest.class.getClassLoader()); c != null;
                c = c.getSuperclass()) {
            if (c.getName().startsWith("org.bytedeco.pytorch.")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the class's constant pool names a libtorch class or one of Kodiak's networks. */
    private static boolean touchesLibtorch(byte[] classFile, List<String> networks) {
        String pool = new String(classFile, StandardCharsets.ISO_8859_1);
        if (pool.contains(TORCH)) {
            return true;
        }
        for (String n : networks) {
            for (int i = pool.indexOf(n); i >= 0; i = pool.indexOf(n, i + 1)) {
                int end = i + n.length();
                // a whole name, not a prefix of a longer one (the next byte is a tag, ';' or a length, never a letter)
                if (end == pool.length() || !Character.isJavaIdentifierPart(pool.charAt(end))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean staticInitializerStartsWithEngineInit(Class<?> type) throws URISyntaxException {
        Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        StringWriter out = new StringWriter();
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        int code = javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-c", "-p",
                "-cp", root.toString(), type.getName());
        assertThat(code).as("javap " + type.getName()).isZero();
        String[] lines = out.toString().split("\\R");
        for (int i = 0; i < lines.length - 2; i++) {
            if (lines[i].trim().equals("static {};")) {
                String first = lines[i + 2].trim(); // after "Code:"
                return first.startsWith("0: invokestatic") && first.endsWith(INIT_CALL);
            }
        }
        return false;
    }

    /** Every class under dev/kodiak in the directory or jar {@code anchor} was loaded from. */
    private static void readClasses(Class<?> anchor, Map<String, byte[]> into) throws Exception {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(root)) {
            collect(root, into);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                collect(jar.getPath("/"), into);
            }
        }
    }

    private static void collect(Path root, Map<String, byte[]> into) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                if (rel.startsWith("dev/kodiak/") && rel.endsWith(".class") && !rel.endsWith("package-info.class")
                        && !rel.endsWith("module-info.class")) {
                    into.put(rel.substring(0, rel.length() - ".class".length()).replace('/', '.'),
                            Files.readAllBytes(f));
                }
            }
        }
    }
}
