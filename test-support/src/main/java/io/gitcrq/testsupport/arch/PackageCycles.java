package io.gitcrq.testsupport.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The no-cycles rule for any module: one slice per package right below a base package (with its subpackages), and
 * one for the classes directly in the base package. The root slice matters: ArchUnit's usual {@code base.(*)..}
 * pattern leaves the base package's own classes out, and a cycle through them (an entry point in the root package
 * that lower packages call back into) would go unseen.
 */
public final class PackageCycles {

    static final String ROOT_SLICE = "(root package)";

    private PackageCycles() {}

    /** No dependency cycle among the packages right below {@code basePackage} (and its own classes). */
    public static ArchRule freeOfCyclesBelow(String basePackage) {
        return slices().assignedFrom(new PackageBelow(basePackage))
                .should()
                .beFreeOfCycles()
                .as("the packages right below " + basePackage + " (each with its subpackages, and " + basePackage
                        + "'s own classes as one more) depend on each other without a cycle");
    }

    private record PackageBelow(String basePackage) implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (name.equals(basePackage)) {
                return SliceIdentifier.of(ROOT_SLICE);
            }
            if (!name.startsWith(basePackage + ".")) {
                return SliceIdentifier.ignore();
            }
            String below = name.substring(basePackage.length() + 1);
            int dot = below.indexOf('.');
            return SliceIdentifier.of(dot < 0 ? below : below.substring(0, dot));
        }

        @Override
        public String getDescription() {
            return "packages right below " + basePackage;
        }
    }
}
