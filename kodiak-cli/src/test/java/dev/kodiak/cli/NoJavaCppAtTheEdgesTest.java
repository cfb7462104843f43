package dev.kodiak.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's rule: JavaCPP's types stay inside {@code dev.kodiak.engine}. Outside it, no class of any visibility
 * directly extends or implements an {@code org.bytedeco} type (networks extend the engine's {@code NativeModule}), and no
 * public or protected member of any class names one in its signature:
 * parameter, return, field and thrown types, generic type arguments and bounds included. Users write losses, metrics,
 * transforms and heads with {@code dev.kodiak.tensor.Tensor}. Scans the main classes of every module (the CLI's test
 * classpath holds them all); test classes may use the natives.
 */
class NoJavaCppAtTheEdgesTest {
    private static final String JAVACPP = "org.bytedeco";
    private static final String ENGINE = "dev.kodiak.engine";
    private static final Pattern TEST_CODE = Pattern.compile(".*(/test-classes/|-tests\\.jar).*");

    static final ArchRule RULE = classes().that().resideOutsideOfPackage(ENGINE + "..")
            .should(keepJavaCppOutOfTheirSignatures())
            .as("classes outside " + ENGINE + " neither extend JavaCPP types nor name them in public signatures");

    @Test
    void noClassOutsideTheEngineExposesJavaCpp() {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(location -> !location.matches(TEST_CODE))
                .importPackages("dev.kodiak");
        assertThat(main.contain("dev.kodiak.models.ResNet")).as("the scan sees every module").isTrue();
        assertThat(main.contain("dev.kodiak.tensor.Tensor")).isTrue();
        RULE.check(main);
    }

    @Test
    void theRuleCatchesAnOffendingSignatureAndSubclass() {
        JavaClasses offenders = new ClassFileImporter().importClasses(Leaks.class, Leaks.Inner.class,
                Leaks.Subclass.class, Leaks.Hidden.class, Fine.class);
        EvaluationResult result = RULE.evaluate(offenders);
        List<String> found = result.getFailureReport().getDetails();
        assertThat(found).anyMatch(d -> d.contains("Leaks.tensor()") && d.contains("org.bytedeco.pytorch.Tensor"));
        assertThat(found).anyMatch(d -> d.contains("Leaks.groups()"));  // only in a generic type argument
        assertThat(found).anyMatch(d -> d.contains("Leaks.module"));     // a protected field
        assertThat(found).anyMatch(d -> d.contains("Leaks$Inner.<init>"));
        assertThat(found).anyMatch(d -> d.contains("Leaks$Subclass") && d.contains("extends"));
        assertThat(found).anyMatch(d -> d.contains("Leaks$Hidden.get()")); // public, in a class that is not
        assertThat(found).noneMatch(d -> d.contains("Fine"));
    }

    private static ArchCondition<JavaClass> keepJavaCppOutOfTheirSignatures() {
        return new ArchCondition<>("keep JavaCPP types out of their supertypes and public signatures") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                javaCppSupertypes(c).forEach(s -> events.add(SimpleConditionEvent.violated(c,
                        c.getName() + " extends " + s + " (extend an engine type such as NativeModule instead)")));
                for (JavaMember m : members(c)) {
                    if (!m.getModifiers().contains(JavaModifier.PUBLIC)
                            && !m.getModifiers().contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    Set<String> named = javaCppTypes(m);
                    if (!named.isEmpty()) {
                        events.add(SimpleConditionEvent.violated(m, m.getFullName() + " names " + named
                                + " (use dev.kodiak.tensor.Tensor, or move the member into " + ENGINE + ")"));
                    }
                }
            }
        };
    }

    private static List<JavaMember> members(JavaClass c) {
        List<JavaMember> all = new ArrayList<>();
        all.addAll(c.getFields());
        all.addAll(c.getCodeUnits());
        return all;
    }

    private static Set<String> javaCppTypes(JavaMember m) {
        List<JavaType> types = new ArrayList<>();
        if (m instanceof JavaField f) {
            types.add(f.getType());
        } else if (m instanceof JavaCodeUnit u) {
            types.add(u.getReturnType());
            types.addAll(u.getParameterTypes());
            types.addAll(u.getTypeParameters());
            types.addAll(u.getThrowsClause().getTypes());
        }
        Set<String> named = new LinkedHashSet<>();
        for (JavaType t : types) {
            for (JavaClass raw : t.getAllInvolvedRawTypes()) {
                if (raw.getName().startsWith(JAVACPP + ".")) {
                    named.add(raw.getName());
                }
            }
        }
        return named;
    }

    /** The class's direct superclass and interfaces that are JavaCPP's. */
    private static List<String> javaCppSupertypes(JavaClass c) {
        List<String> out = new ArrayList<>();
        c.getRawSuperclass().filter(s -> s.getName().startsWith(JAVACPP + ".")).ifPresent(s -> out.add(s.getName()));
        for (JavaClass i : c.getRawInterfaces()) {
            if (i.getName().startsWith(JAVACPP + ".")) {
                out.add(i.getName());
            }
        }
        return out;
    }

    /** What the rule must refuse: JavaCPP in public signatures and as a direct superclass. */
    public static class Leaks {
        protected org.bytedeco.pytorch.Module module;

        public org.bytedeco.pytorch.Tensor tensor() {
            return null;
        }

        public List<List<org.bytedeco.pytorch.Tensor>> groups() {
            return List.of();
        }

        /** Nested API class whose constructor takes a JavaCPP type. */
        public static class Inner {
            public Inner(org.bytedeco.pytorch.Tensor t) {
            }
        }

        /** A public member counts even in a class that is not public. */
        static final class Hidden {
            public org.bytedeco.pytorch.Tensor get() {
                return null;
            }
        }

        /** A subclass of a JavaCPP type, even a private one, is refused. */
        private static final class Subclass extends org.bytedeco.javacpp.Pointer {
        }
    }

    /** What the rule lets pass: JavaCPP only in private and package-private members. */
    public static class Fine {
        private org.bytedeco.pytorch.Tensor kept;

        org.bytedeco.pytorch.Tensor internal() {
            return kept;
        }

        public dev.kodiak.tensor.Tensor tensor() {
            return null;
        }
    }
}
