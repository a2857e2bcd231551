package io.pollingevents.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the engine's dependencies pointing one way: console (static files only), api -> route -> poll/delivery -> hub/event -> store, over the
 * instance model (config, element) and the shared formats, which depend on no other package of the engine.
 */
class PackageDependenciesTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pollingevents");

    @Test
    void noPackageCycles() {
        slices().matching("io.pollingevents.(*)..").should().beFreeOfCycles().check(ENGINE);
    }

    @Test
    void layersAreUsedFromAboveOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Boot").definedBy("io.pollingevents", "io.pollingevents.demo..")
                .layer("Console").definedBy("io.pollingevents.console..")
                .layer("Api").definedBy("io.pollingevents.api..")
                .layer("Route").definedBy("io.pollingevents.route..")
                .layer("Poll").definedBy("io.pollingevents.poll..")
                .layer("Delivery").definedBy("io.pollingevents.delivery..")
                .layer("Hub").definedBy("io.pollingevents.hub..")
                .layer("Event").definedBy("io.pollingevents.event..")
                .layer("Metrics").definedBy("io.pollingevents.metrics..")
                .layer("Store").definedBy("io.pollingevents.store..")
                .layer("Config").definedBy("io.pollingevents.config..")
                .layer("Element").definedBy("io.pollingevents.element..")
                .layer("Format").definedBy("io.pollingevents.format..")

                .whereLayer("Boot").mayNotBeAccessedByAnyLayer()
                .whereLayer("Console").mayOnlyBeAccessedByLayers("Boot")
                .whereLayer("Api").mayOnlyBeAccessedByLayers("Boot")
                .whereLayer("Route").mayOnlyBeAccessedByLayers("Boot", "Api")
                .whereLayer("Poll").mayOnlyBeAccessedByLayers("Boot", "Api", "Route")
                .whereLayer("Delivery").mayOnlyBeAccessedByLayers("Boot", "Api", "Route")
                .whereLayer("Hub").mayOnlyBeAccessedByLayers("Boot", "Api", "Route", "Poll")
                .whereLayer("Event").mayOnlyBeAccessedByLayers("Boot", "Api", "Route", "Poll", "Delivery")
                .whereLayer("Metrics").mayOnlyBeAccessedByLayers("Boot", "Api", "Route", "Poll", "Delivery", "Hub", "Event")
                .whereLayer("Store").mayOnlyBeAccessedByLayers("Boot", "Api", "Route", "Poll", "Delivery", "Hub", "Event", "Metrics")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Boot", "Api", "Route", "Poll", "Delivery", "Hub", "Event")
                .whereLayer("Element").mayOnlyBeAccessedByLayers("Boot", "Api", "Route", "Poll", "Delivery", "Hub", "Event", "Config")
                .whereLayer("Format").mayOnlyBeAccessedByLayers("Boot", "Api", "Route", "Poll", "Delivery", "Hub", "Event", "Metrics",
                        "Store", "Config", "Element")
                .check(ENGINE);
    }
}
