package io.gitcrq.testsupport.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules fail on the deliberately bad classes under io.gitcrq.archfixture.bad, each naming the class that breaks
 * it, and pass on io.gitcrq.archfixture.good, which has every layer. The fixtures are test classes, so they are
 * imported here without the production-only filter that the services' ArchitectureTests use.
 */
class ServiceArchitectureTest {

    private static final String GOOD = "io.gitcrq.archfixture.good";
    private static final String BAD = "io.gitcrq.archfixture.bad";

    private static final JavaClasses GOOD_CLASSES = new ClassFileImporter().importPackages(GOOD);
    private static final JavaClasses BAD_CLASSES = new ClassFileImporter().importPackages(BAD);

    @Test
    void everyRuleHoldsForTheGoodService() {
        List<ArchRule> rules = ServiceArchitecture.of(GOOD).rules();

        assertThat(rules).hasSize(9);
        for (ArchRule rule : rules) {
            EvaluationResult result = rule.evaluate(GOOD_CLASSES);
            assertThat(result.hasViolation())
                    .as("%s: %s", rule.getDescription(), result.getFailureReport())
                    .isFalse();
        }
    }

    @Test
    void aCycleBetweenTwoPackagesFails() {
        assertViolation(ServiceArchitecture.of(BAD).noPackageCycles(), BAD_CLASSES, "cyclea.First", "cycleb.Second");
    }

    @Test
    void aCycleThroughTheBasePackagesOwnClassesFails() {
        String root = "io.gitcrq.archfixture.rootcycle";

        assertViolation(
                PackageCycles.freeOfCyclesBelow(root),
                new ClassFileImporter().importPackages(root),
                "rootcycle.RootEntry",
                "rootcycle.sub.Helper");
    }

    @Test
    void aServiceUsingARestTypeFails() {
        assertViolation(ServiceArchitecture.of(BAD).restIsUsedOnlyByRest(), BAD_CLASSES, "service.UsesRestType");
    }

    @Test
    void aServiceThrowingAnHttpExceptionFails() {
        assertViolation(
                ServiceArchitecture.of(BAD).httpTypesOnlyInRest(),
                BAD_CLASSES,
                "service.ThrowsHttpException",
                "jakarta.ws.rs.NotFoundException");
    }

    @Test
    void aCaseConversionWithoutALocaleFails() {
        assertViolation(
                ServiceArchitecture.of(BAD).caseConversionsNameALocale(),
                BAD_CLASSES,
                "service.LowerCasesWithDefaultLocale",
                "toLowerCase");
    }

    @Test
    void aServiceUsingAKafkaTypeFails() {
        assertViolation(
                ServiceArchitecture.of(BAD).messagingTypesOnlyInMessaging(),
                BAD_CLASSES,
                "service.UsesKafkaType",
                "org.apache.kafka.clients.producer.ProducerRecord");
    }

    @Test
    void aServiceUsingTheEntityManagerFails() {
        assertViolation(
                ServiceArchitecture.of(BAD).persistenceOnlyInRepository(),
                BAD_CLASSES,
                "service.UsesEntityManager",
                "jakarta.persistence.EntityManager");
    }

    @Test
    void aServicePersistingAnEntityItselfFails() {
        assertViolation(
                ServiceArchitecture.of(BAD).persistenceOnlyInRepository(),
                BAD_CLASSES,
                "service.PersistsActiveRecord",
                "persist()");
    }

    @Test
    void aServiceQueryingThroughAnEntitysStaticMethodsFails() {
        assertViolation(
                ServiceArchitecture.of(BAD).persistenceOnlyInRepository(),
                BAD_CLASSES,
                "service.QueriesActiveRecord",
                "count()");
    }

    @Test
    void domainDependingOnServiceFails() {
        assertViolation(
                ServiceArchitecture.of(BAD).domainDependsOnNoOuterLayer(),
                BAD_CLASSES,
                "domain.DependsOnService",
                "service.UsesKafkaType");
    }

    @Test
    void aResourceThatDoesNotSayWhoMayCallItFails() {
        assertViolation(
                ServiceArchitecture.of(BAD).everyResourceRequiresAuthentication(),
                BAD_CLASSES,
                "rest.GadgetResource has no @RolesAllowed or @Authenticated",
                "rest.OpenResource has no @RolesAllowed or @Authenticated on the class (it is @PermitAll",
                "rest.HalfOpenResource.open() is @PermitAll");
    }

    @Test
    void aChannelHandlerWithoutTheDeliveryGuardFails() {
        assertViolation(
                ServiceArchitecture.of(BAD).everyChannelHandlerIsGuarded(),
                BAD_CLASSES,
                "messaging.UnguardedConsumer.consume(java.lang.String)");
    }

    @Test
    void aFailureSaysTheRuleInWords() {
        ArchRule rule = ServiceArchitecture.of(BAD).messagingTypesOnlyInMessaging();

        assertThatThrownBy(() -> rule.check(BAD_CLASSES))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("only " + BAD + "'s messaging packages use Kafka or reactive-messaging types")
                .hasMessageContaining(BAD + ".service.UsesKafkaType");
    }

    @Test
    void mainClassesLeaveTestClassesOutAndRefuseAnEmptyImport() {
        // The fixtures are test classes: importing them as production classes finds nothing, which must not pass.
        assertThatThrownBy(() -> ArchitectureClasses.mainClassesOf(GOOD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(GOOD);
    }

    private static void assertViolation(ArchRule rule, JavaClasses classes, String... expectedInDetails) {
        EvaluationResult result = rule.evaluate(classes);

        assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
        String details = String.join("\n", result.getFailureReport().getDetails());
        for (String expected : expectedInDetails) {
            assertThat(details).contains(expected);
        }
    }
}
