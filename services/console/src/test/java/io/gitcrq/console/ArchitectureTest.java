package io.gitcrq.console;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.gitcrq.testsupport.arch.ArchitectureClasses;
import io.gitcrq.testsupport.arch.ServiceArchitecture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The layering rules every service follows (test-support's ServiceArchitecture), over the console's production classes. */
class ArchitectureTest {

    private static final String BASE_PACKAGE = "io.gitcrq.console";

    @TestFactory
    Stream<DynamicTest> layeringRulesHold() {
        JavaClasses classes = ArchitectureClasses.mainClassesOf(BASE_PACKAGE);
        return ServiceArchitecture.of(BASE_PACKAGE).rules().stream()
                .map(rule -> dynamicTest(rule.getDescription(), () -> rule.check(classes)));
    }
}
