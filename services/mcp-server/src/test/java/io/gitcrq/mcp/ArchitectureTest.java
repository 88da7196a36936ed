package io.gitcrq.mcp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import io.gitcrq.testsupport.arch.ArchitectureClasses;
import io.gitcrq.testsupport.arch.ServiceArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The layering rules every service follows (test-support's ServiceArchitecture), over mcp-server's production
 * classes, and its own edges: MCP types only in {@code mcp} (the inbound edge, as {@code rest} is for HTTP), outbound
 * HTTP only in {@code client}, and {@code domain} free of both.
 */
class ArchitectureTest {

    private static final String BASE_PACKAGE = "io.gitcrq.mcp";

    @TestFactory
    Stream<DynamicTest> layeringRulesHold() {
        JavaClasses classes = ArchitectureClasses.mainClassesOf(BASE_PACKAGE);
        ServiceArchitecture architecture = ServiceArchitecture.of(BASE_PACKAGE);
        // mcp-server has no JAX-RS resource (its one route, /mcp, is the MCP extension's, behind service-kit's
        // authentication): the resource rule holds with nothing to check.
        String resourceRule = architecture.everyResourceRequiresAuthentication().getDescription();
        List<ArchRule> rules = new ArrayList<>();
        for (ArchRule rule : architecture.rules()) {
            rules.add(rule.getDescription().equals(resourceRule) ? rule.allowEmptyShould(true) : rule);
        }
        rules.add(noClasses()
                .that()
                .resideInAPackage(BASE_PACKAGE + "..")
                .and()
                .resideOutsideOfPackage(BASE_PACKAGE + ".mcp..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.quarkiverse.mcp..")
                .as("only io.gitcrq.mcp.mcp uses MCP types (tools, filters, resources)"));
        rules.add(noClasses()
                .that()
                .resideInAPackage(BASE_PACKAGE + "..")
                .and()
                .resideOutsideOfPackage(BASE_PACKAGE + ".client..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("java.net.http..")
                .as("only io.gitcrq.mcp.client calls other services over HTTP"));
        rules.add(noClasses()
                .that()
                .resideInAPackage(BASE_PACKAGE + ".domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        BASE_PACKAGE + ".service..",
                        BASE_PACKAGE + ".client..",
                        BASE_PACKAGE + ".mcp..",
                        BASE_PACKAGE + ".rest..")
                .as("io.gitcrq.mcp.domain depends on none of service, client, mcp, rest"));
        return rules.stream().map(rule -> dynamicTest(rule.getDescription(), () -> rule.check(classes)));
    }
}
