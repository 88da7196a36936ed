package io.gitcrq.testsupport.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;

/** Imports the classes the rules judge. */
public final class ArchitectureClasses {

    private ArchitectureClasses() {}

    /**
     * The production classes under {@code basePackage} that the module under test compiled ({@code target/classes}
     * of the working directory, where Maven runs a module's tests), tests left out. Classes of the same package
     * from other modules (io.gitcrq.audit.sources next to io.gitcrq.audit) are not judged here. Fails when there are
     * none, so that a mistyped package makes the architecture test fail instead of pass on nothing.
     */
    public static JavaClasses mainClassesOf(String basePackage) {
        Path moduleClasses = Path.of("target", "classes").toAbsolutePath();
        String packageDirectory = "/" + basePackage.replace('.', '/') + "/";
        // Importing the directory, not the package, spares a scan of every jar on the test class path.
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> location.contains(packageDirectory))
                .importPath(moduleClasses);
        if (classes.isEmpty()) {
            throw new IllegalStateException(
                    "no production classes of this module (" + moduleClasses + ") under " + basePackage);
        }
        return classes;
    }
}
