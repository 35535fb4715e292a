package dev.payhook.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.payhook.domain.IdempotencyStore;
import dev.payhook.domain.PaymentGateway;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The module rules of DESIGN.md §2, checked on the compiled classes of every module. */
@AnalyzeClasses(packages = "dev.payhook", importOptions = ArchitectureTest.ProductionClassesOnly.class)
class ArchitectureTest {

    /** Leaves out test classes, also those that come in the modules' test-jars. */
    static final class ProductionClassesOnly implements ImportOption {
        private final ImportOption notTestDirectories = new ImportOption.DoNotIncludeTests();

        @Override
        public boolean includes(Location location) {
            return notTestDirectories.includes(location) && !location.contains("-tests.jar");
        }
    }

    private static final String DOMAIN = "dev.payhook.domain..";
    private static final String REDIS = "dev.payhook.redis..";
    private static final String HTTP = "dev.payhook.http..";
    private static final String PAYMENT = "dev.payhook.payment..";
    private static final String APP = "dev.payhook.app..";

    @ArchTest
    static final ArchRule the_domain_depends_on_the_jdk_only = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage(DOMAIN, "java..")
            .because("the use case must stay free of frameworks so adapters can be swapped around it");

    @ArchTest
    static final ArchRule the_redis_adapter_does_not_depend_on_other_adapters = noClasses()
            .that().resideInAPackage(REDIS)
            .should().dependOnClassesThat().resideInAnyPackage(HTTP, PAYMENT, APP)
            .because("each adapter depends on the domain only, so it can be replaced on its own");

    @ArchTest
    static final ArchRule the_http_adapter_does_not_depend_on_other_adapters = noClasses()
            .that().resideInAPackage(HTTP)
            .should().dependOnClassesThat().resideInAnyPackage(REDIS, PAYMENT, APP)
            .because("each adapter depends on the domain only, so it can be replaced on its own");

    @ArchTest
    static final ArchRule the_payment_adapter_does_not_depend_on_other_adapters = noClasses()
            .that().resideInAPackage(PAYMENT)
            .should().dependOnClassesThat().resideInAnyPackage(REDIS, HTTP, APP)
            .because("each adapter depends on the domain only, so it can be replaced on its own");

    // With the domain on the JDK only and adapters independent of each other, the app is the only
    // module left that may use adapters; this rule keeps anything from reaching back into it.
    @ArchTest
    static final ArchRule nothing_depends_on_the_app = noClasses()
            .that().resideOutsideOfPackages(APP)
            .should().dependOnClassesThat().resideInAnyPackage(APP)
            .because("the composition root sits on top of every module and nothing may reach back into it");

    @ArchTest
    static final ArchRule the_app_implements_no_port_itself = noClasses()
            .that().resideInAPackage(APP)
            .should().implement(IdempotencyStore.class)
            .orShould().implement(PaymentGateway.class)
            .because("the app only wires; stores and gateways belong in the domain or an adapter");

    @ArchTest
    static final ArchRule packages_have_no_cycles = slices()
            .matching("dev.payhook.(**)")
            .should().beFreeOfCycles()
            .because("a cycle between packages makes modules impossible to reason about or split");

    /** Guards against rules passing vacuously because a package they target has no classes. */
    @ParameterizedTest
    @ValueSource(strings = {"dev.payhook.domain", "dev.payhook.domain.memory", "dev.payhook.redis",
            "dev.payhook.http", "dev.payhook.http.metrics", "dev.payhook.payment", "dev.payhook.app"})
    void every_package_the_rules_target_has_classes(String packageName) {
        JavaClasses imported = new ClassFileImporter()
                .withImportOption(new ProductionClassesOnly())
                .importPackages(packageName);
        List<String> inPackage = imported.stream()
                .filter(javaClass -> javaClass.getPackageName().equals(packageName))
                .map(javaClass -> javaClass.getName()).toList();
        assertFalse(inPackage.isEmpty(), "no production classes in " + packageName);
    }
}
