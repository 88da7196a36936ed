package io.gitcrq.cli;

import io.gitcrq.testsupport.arch.ArchitectureClasses;
import io.gitcrq.testsupport.arch.PackageCycles;
import org.junit.jupiter.api.Test;

/** The CLI's packages (the entry point here, command, http, output, hook, ...) depend on each other without a cycle. */
class PackageCyclesTest {

    private static final String BASE_PACKAGE = "io.gitcrq.cli";

    @Test
    void packagesHaveNoCycle() {
        PackageCycles.freeOfCyclesBelow(BASE_PACKAGE).check(ArchitectureClasses.mainClassesOf(BASE_PACKAGE));
    }
}
