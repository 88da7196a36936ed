package io.gitcrq.kit;

import io.gitcrq.testsupport.arch.ArchitectureClasses;
import io.gitcrq.testsupport.arch.PackageCycles;
import org.junit.jupiter.api.Test;

/** service-kit's packages (outbox, db, inbox, rest, ...) depend on each other without a cycle. */
class PackageCyclesTest {

    private static final String BASE_PACKAGE = "io.gitcrq.kit";

    @Test
    void packagesHaveNoCycle() {
        PackageCycles.freeOfCyclesBelow(BASE_PACKAGE).check(ArchitectureClasses.mainClassesOf(BASE_PACKAGE));
    }
}
