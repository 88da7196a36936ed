package io.gitcrq.testsupport.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The layering every gitcrq service follows, as ArchUnit rules over one service's base package (e.g.
 * {@code io.gitcrq.crq}). Package roles: {@code rest} is the HTTP edge, {@code service} the use cases, {@code domain}
 * the model, {@code messaging} the Kafka edge, {@code repository} the queries, {@code config} settings. Each rule's
 * description says the rule in words; ArchUnit puts it at the head of every failure.
 *
 * <p>Apply to production classes only ({@link ArchitectureClasses#mainClassesOf(String)}): tests may use anything.
 */
public final class ServiceArchitecture {

    /** HTTP server types; io.gitcrq.kit.rest holds ProblemException and the problem mappers. */
    static final String[] HTTP_PACKAGES = {
        "jakarta.ws.rs..",
        "org.jboss.resteasy..",
        "io.vertx.core.http..",
        "io.quarkus.vertx.http..",
        "io.gitcrq.kit.rest.."
    };

    static final String[] MESSAGING_PACKAGES = {
        "org.apache.kafka..", "io.smallrye.reactive.messaging..", "org.eclipse.microprofile.reactive.messaging.."
    };

    /**
     * service-kit's classes that are Kafka in all but package name. {@code io.gitcrq.kit.outbox.Outbox} (and the
     * {@code Inbox}) are not among them: they write and read rows in the caller's transaction, and that is what
     * service code is meant to use to publish an event.
     */
    static final Set<String> KIT_MESSAGING_TYPES =
            Set.of("io.gitcrq.kit.outbox.OutboxRelay", "io.gitcrq.kit.outbox.KafkaPublisher");

    static final Set<String> PERSISTENCE_TYPES = Set.of(
            "jakarta.persistence.EntityManager",
            "jakarta.persistence.EntityManagerFactory",
            "jakarta.persistence.Query",
            "jakarta.persistence.TypedQuery",
            "jakarta.persistence.StoredProcedureQuery",
            "org.hibernate.Session",
            "org.hibernate.StatelessSession",
            "org.hibernate.SessionFactory",
            "io.quarkus.hibernate.orm.panache.Panache",
            "io.quarkus.hibernate.orm.panache.PanacheQuery",
            "io.quarkus.hibernate.orm.panache.PanacheRepository",
            "io.quarkus.hibernate.orm.panache.PanacheRepositoryBase");

    /** Query building: criteria, Hibernate queries, Panache's Sort/Page/Parameters. */
    static final String[] PERSISTENCE_PACKAGES = {
        "jakarta.persistence.criteria..", "org.hibernate.query..", "io.quarkus.panache.common.."
    };

    static final String PATH = "jakarta.ws.rs.Path";
    static final String ROLES_ALLOWED = "jakarta.annotation.security.RolesAllowed";
    static final String AUTHENTICATED = "io.quarkus.security.Authenticated";
    static final String PERMIT_ALL = "jakarta.annotation.security.PermitAll";
    static final String DENY_ALL = "jakarta.annotation.security.DenyAll";

    /** The only routes without a login: Git hosts' push webhooks, authenticated by their signature instead. */
    static final String UNAUTHENTICATED_PATH = "/webhooks";

    static final String INCOMING = "org.eclipse.microprofile.reactive.messaging.Incoming";
    static final String GUARDED_DELIVERY = "io.gitcrq.kit.delivery.GuardedDelivery";

    static final String PANACHE_ENTITY_BASE = "io.quarkus.hibernate.orm.panache.PanacheEntityBase";

    /** PanacheEntityBase's methods, for when a call's target cannot be resolved to its declaring class. */
    static final Set<String> ACTIVE_RECORD_METHODS = Set.of(
            "persist",
            "persistAndFlush",
            "delete",
            "isPersistent",
            "getEntityManager",
            "getSession",
            "flush",
            "find",
            "findAll",
            "findById",
            "findByIdOptional",
            "list",
            "listAll",
            "stream",
            "streamAll",
            "count",
            "deleteAll",
            "deleteById",
            "update");

    private final String base;

    private ServiceArchitecture(String basePackage) {
        this.base = basePackage;
    }

    public static ServiceArchitecture of(String basePackage) {
        return new ServiceArchitecture(basePackage);
    }

    /** Every rule below. */
    public List<ArchRule> rules() {
        return List.of(
                noPackageCycles(),
                restIsUsedOnlyByRest(),
                httpTypesOnlyInRest(),
                messagingTypesOnlyInMessaging(),
                persistenceOnlyInRepository(),
                domainDependsOnNoOuterLayer(),
                caseConversionsNameALocale(),
                everyResourceRequiresAuthentication(),
                everyChannelHandlerIsGuarded());
    }

    /** No cycle among the packages right below the base package (each with its subpackages). */
    public ArchRule noPackageCycles() {
        return PackageCycles.freeOfCyclesBelow(base);
    }

    /** rest is the outermost layer: it may use service and domain, and nothing outside rest uses rest. */
    public ArchRule restIsUsedOnlyByRest() {
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .resideOutsideOfPackage(pkg("rest"))
                .should()
                .dependOnClassesThat()
                .resideInAPackage(pkg("rest"))
                .as("nothing in " + base + " outside its rest packages depends on a rest class (rest may use service"
                        + " and domain, never the reverse)");
    }

    /** JAX-RS, RESTEasy, Vert.x HTTP and service-kit's REST types are used in rest only. */
    public ArchRule httpTypesOnlyInRest() {
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .resideOutsideOfPackage(pkg("rest"))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(HTTP_PACKAGES)
                .as("only " + base + "'s rest packages use HTTP types (jakarta.ws.rs, org.jboss.resteasy,"
                        + " io.vertx.core.http, io.quarkus.vertx.http, io.gitcrq.kit.rest such as ProblemException);"
                        + " service and domain code throws io.gitcrq.kit.error exceptions instead");
    }

    /**
     * Kafka and reactive-messaging types (and service-kit's Kafka relay and publisher) are used in messaging only.
     * Publishing through {@code io.gitcrq.kit.outbox.Outbox} is allowed anywhere: it is our transactional
     * abstraction, it writes a row and knows no Kafka API.
     */
    public ArchRule messagingTypesOnlyInMessaging() {
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .resideOutsideOfPackage(pkg("messaging"))
                .should()
                .dependOnClassesThat(messagingTypes())
                .as("only " + base + "'s messaging packages use Kafka or reactive-messaging types"
                        + " (org.apache.kafka, io.smallrye.reactive.messaging,"
                        + " org.eclipse.microprofile.reactive.messaging, service-kit's OutboxRelay/KafkaPublisher);"
                        + " other code publishes through io.gitcrq.kit.outbox.Outbox");
    }

    /**
     * The EntityManager, Hibernate sessions and queries, and Panache's repositories, queries and static helpers
     * are used in repository only. Entities in domain may extend {@code PanacheEntityBase} and carry
     * {@code jakarta.persistence} annotations: that is mapping, not querying.
     *
     * <p>Active record: calling an entity's inherited {@code PanacheEntityBase} methods ({@code crq.persist()},
     * {@code crq.delete()}, {@code Crq.find(...)}, {@code Crq.list(...)}, {@code Crq.count()}, ...) is persistence
     * like any EntityManager call, so this rule reports it outside repository too, service code and the entity's own
     * methods included: service code hands entities to a repository, which persists and queries them.
     */
    public ArchRule persistenceOnlyInRepository() {
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .resideOutsideOfPackage(pkg("repository"))
                .should()
                .dependOnClassesThat(persistenceTypes())
                .orShould()
                .accessTargetWhere(activeRecordAccess())
                .as("only " + base + "'s repository packages use the EntityManager, Hibernate sessions or queries,"
                        + " Panache repositories, queries or static helpers, or an entity's active-record methods"
                        + " (persist(), delete(), find(...), list(...), count(...)); domain entities may extend"
                        + " PanacheEntityBase and carry JPA annotations");
    }

    /** domain is the core: it depends on no service, rest, messaging or repository class. */
    public ArchRule domainDependsOnNoOuterLayer() {
        return noClasses()
                .that()
                .resideInAPackage(pkg("domain"))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(pkg("service"), pkg("rest"), pkg("messaging"), pkg("repository"))
                .as(base + "'s domain packages depend on none of its service, rest, messaging or repository"
                        + " packages");
    }

    /**
     * Upper- and lower-casing name their locale: without one the JVM's default applies, and under a Turkish default
     * "SUBMITTED".toLowerCase() has a dotless ı that matches no status, no key, no file name.
     */
    public ArchRule caseConversionsNameALocale() {
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .should()
                .callMethod(String.class, "toLowerCase")
                .orShould()
                .callMethod(String.class, "toUpperCase")
                .as(base + " converts case with a Locale (toLowerCase(Locale.ROOT)), never with the JVM's default");
    }

    /**
     * Every JAX-RS resource ({@code @Path} class) says who may call it, on the class: {@code @RolesAllowed} or
     * {@code @Authenticated} (then checking roles itself). Only {@value #UNAUTHENTICATED_PATH} may be
     * {@code @PermitAll} (webhooks, checked by signature), and no method opens itself up with {@code @PermitAll}.
     * service-kit's HTTP permission also denies unauthenticated calls to every path but /q/health; this rule keeps
     * the role checks from being forgotten.
     */
    public ArchRule everyResourceRequiresAuthentication() {
        return classes()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .areAnnotatedWith(PATH)
                .should(requireAuthentication())
                .as("every @Path resource in " + base + " is @RolesAllowed or @Authenticated (only "
                        + UNAUTHENTICATED_PATH + " may be @PermitAll, and no method is @PermitAll)");
    }

    /**
     * Every method that handles a channel's records ({@code @Incoming}) is {@code @GuardedDelivery} (service-kit): a
     * handler without it would meet a closed database during a stop, and its valid record would be dead-lettered.
     */
    public ArchRule everyChannelHandlerIsGuarded() {
        return com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods()
                .that()
                .areDeclaredInClassesThat()
                .resideInAPackage(base + "..")
                .and()
                .areAnnotatedWith(INCOMING)
                .should()
                .beAnnotatedWith(GUARDED_DELIVERY)
                .as("every @Incoming method in " + base + " is @GuardedDelivery (service-kit io.gitcrq.kit.delivery)")
                // A service may consume nothing (git-watcher).
                .allowEmptyShould(true);
    }

    private static ArchCondition<JavaClass> requireAuthentication() {
        return new ArchCondition<>("require an authenticated caller") {
            @Override
            public void check(JavaClass resource, ConditionEvents events) {
                boolean webhooks = resource.getAnnotationOfType(PATH)
                        .get("value")
                        .map(v -> v.toString().equals(UNAUTHENTICATED_PATH))
                        .orElse(false);
                boolean guarded = resource.isAnnotatedWith(ROLES_ALLOWED)
                        || resource.isAnnotatedWith(AUTHENTICATED)
                        || resource.isAnnotatedWith(DENY_ALL)
                        || (webhooks && resource.isAnnotatedWith(PERMIT_ALL));
                if (!guarded) {
                    events.add(SimpleConditionEvent.violated(
                            resource,
                            resource.getName() + " has no @RolesAllowed or @Authenticated on the class"
                                    + (resource.isAnnotatedWith(PERMIT_ALL)
                                            ? " (it is @PermitAll, which only " + UNAUTHENTICATED_PATH + " may be)"
                                            : "")));
                }
                if (!webhooks) {
                    for (JavaMethod method : resource.getMethods()) {
                        if (method.isAnnotatedWith(PERMIT_ALL)) {
                            events.add(SimpleConditionEvent.violated(
                                    method, method.getFullName() + " is @PermitAll: it would answer anybody"));
                        }
                    }
                }
            }
        };
    }

    private String pkg(String role) {
        return base + ".." + role + "..";
    }

    static DescribedPredicate<JavaClass> messagingTypes() {
        return JavaClass.Predicates.resideInAnyPackage(MESSAGING_PACKAGES)
                .or(nameIn(KIT_MESSAGING_TYPES))
                .as("Kafka or reactive-messaging types");
    }

    static DescribedPredicate<JavaClass> persistenceTypes() {
        return JavaClass.Predicates.resideInAnyPackage(PERSISTENCE_PACKAGES)
                .or(nameIn(PERSISTENCE_TYPES))
                .as("EntityManager, Hibernate or Panache query types");
    }

    private static DescribedPredicate<JavaClass> nameIn(Set<String> names) {
        return DescribedPredicate.describe("one of " + names, javaClass -> names.contains(javaClass.getName()));
    }

    /** A call to (or reference of) a PanacheEntityBase method on an entity, e.g. {@code crq.persist()}. */
    static DescribedPredicate<JavaAccess<?>> activeRecordAccess() {
        return DescribedPredicate.describe("an entity's active-record method (PanacheEntityBase)", access -> {
            AccessTarget target = access.getTarget();
            if (!(target instanceof AccessTarget.MethodCallTarget)
                    && !(target instanceof AccessTarget.MethodReferenceTarget)) {
                return false;
            }
            if (!target.getOwner().isAssignableTo(PANACHE_ENTITY_BASE)) {
                return false;
            }
            Optional<? extends JavaMember> declared = target.resolveMember();
            return declared.isPresent()
                    ? declared.get().getOwner().getName().equals(PANACHE_ENTITY_BASE)
                    : ACTIVE_RECORD_METHODS.contains(target.getName());
        });
    }
}
