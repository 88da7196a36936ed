package io.gitcrq.testsupport.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** Imports the classes the rules judge. */
public final class ArchitectureClasses {

    private ArchitectureClasses() {}

    /**
     * The production classes under {@code basePackage}, tests left out. Fails when there are none, so that a
     * mistyped package makes the architecture test fail instead of pass on nothing.
     */
    public static JavaClasses mainClassesOf(String basePackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
        if (classes.isEmpty()) {
            throw new IllegalStateException("no production classes found under " + basePackage);
        }
        return classes;
    }
}
