package dev.strata.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The picture in README's "Architecture" section, as rules over the compiled classes of every module: modules and
 * packages depend downwards only, no package cycles, native linking only in
 * {@code sys}. A rule that fails names the offending classes and the dependency; fix the code, not the rule.
 */
@AnalyzeClasses(packages = "dev.strata", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The store module's packages (module {@code store}), below the engine. */
    static final String[] STORE = {"dev.strata.archive..", "dev.strata.container..", "dev.strata.content..", "dev.strata.digest..",
            "dev.strata.driver..", "dev.strata.error..", "dev.strata.image..", "dev.strata.layer..", "dev.strata.metadata..",
            "dev.strata.reference..", "dev.strata.store..", "dev.strata.volume.."};

    /** cli → engine → store → sys: a layer may use any layer below it, never one above. */
    @ArchTest
    static final ArchRule modulesPointDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy("dev.strata.cli..")
            .layer("engine").definedBy("dev.strata.engine..")
            .layer("store").definedBy(STORE)
            .layer("sys").definedBy("dev.strata.sys..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("engine").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("store").mayOnlyBeAccessedByLayers("engine", "cli")
            .whereLayer("sys").mayOnlyBeAccessedByLayers("store", "engine", "cli");

    /** Every package is its own slice: no two packages use each other, directly or around a loop. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.strata.(**)").should().beFreeOfCycles();

    /**
     * Inside the store, the parts a layer of storage is made of sit below the stores that use them: the content
     * store, drivers and archive code know nothing of layers, images or containers.
     */
    @ArchTest
    static final ArchRule storePackagesPointDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("store").definedBy("dev.strata.store..")
            .layer("objects").definedBy("dev.strata.image..", "dev.strata.container..", "dev.strata.volume..")
            .layer("layer").definedBy("dev.strata.layer..")
            .layer("parts").definedBy("dev.strata.driver..", "dev.strata.archive..", "dev.strata.content..")
            .layer("metadata").definedBy("dev.strata.metadata..")
            .layer("values").definedBy("dev.strata.digest..", "dev.strata.reference..", "dev.strata.error..")
            .whereLayer("store").mayNotBeAccessedByAnyLayer()
            .whereLayer("objects").mayOnlyBeAccessedByLayers("store")
            .whereLayer("layer").mayOnlyBeAccessedByLayers("store", "objects")
            .whereLayer("parts").mayOnlyBeAccessedByLayers("store", "objects", "layer")
            .whereLayer("metadata").mayOnlyBeAccessedByLayers("store", "objects", "layer");

    /** Native calls go through {@code sys} (FFM downcalls with errno, in one place). */
    @ArchTest
    static final ArchRule nativeLinkingOnlyInSys = noClasses()
            .that().resideOutsideOfPackage("dev.strata.sys..")
            .should().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.Linker")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.SymbolLookup");
}
