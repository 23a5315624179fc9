package dev.strata.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.strata.driver.StorageDriver;
import dev.strata.metadata.Tx;
import dev.strata.store.Store;

/**
 * The picture in README's "Architecture" section, as rules over the compiled classes of every module: modules and
 * packages depend downwards only, no package cycles, SQL only in the store's table owners, native linking only in
 * {@code sys}. A rule that fails names the offending classes and the dependency; fix the code, not the rule.
 */
@AnalyzeClasses(packages = "dev.strata", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The store module's packages (module {@code store}), below the engine. */
    static final String[] STORE = {"dev.strata.archive..", "dev.strata.container..", "dev.strata.content..", "dev.strata.digest..",
            "dev.strata.driver..", "dev.strata.error..", "dev.strata.image..", "dev.strata.layer..", "dev.strata.metadata..",
            "dev.strata.reference..", "dev.strata.store..", "dev.strata.volume.."};

    /** A table's owner: a {@code *Table} class in the store module. */
    static final DescribedPredicate<JavaClass> TABLE_OWNER = JavaClass.Predicates.simpleNameEndingWith("Table")
            .and(JavaClass.Predicates.resideInAnyPackage(STORE)).as("a table owner (*Table in the store)");

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

    /**
     * The engine writes no SQL: JDBC and {@link dev.strata.metadata.Tx}'s SQL methods are used by the metadata package
     * (database, transactions, the schema's ordered migrations) and by each table's one owner, a class named
     * {@code *Table} in the store module with typed methods.
     */
    @ArchTest
    static final ArchRule sqlOnlyInTableOwners = noClasses()
            .that().resideOutsideOfPackage("dev.strata.metadata..")
            .and(DescribedPredicate.not(TABLE_OWNER))
            .should().dependOnClassesThat().resideInAPackage("java.sql..")
            .orShould().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(JavaClass.Predicates.equivalentTo(Tx.class)))
                    .and(JavaCall.Predicates.target(HasName.Predicates.nameMatching("query|queryOne|update|count|execute"))))
            .because("each table has one owner in the store with typed methods (README: Architecture)");

    /** The engine reaches layer directories through the layer store (writable layers, mounts, imports), never the driver. */
    @ArchTest
    static final ArchRule driverOnlyInsideTheStore = noClasses()
            .that().resideOutsideOfPackages(STORE)
            .should().callMethod(Store.class, "driver")
            .orShould().dependOnClassesThat().haveFullyQualifiedName(StorageDriver.class.getName())
            .because("a storage driver is the store's business (README: Architecture)");

    /** Native calls go through {@code sys} (FFM downcalls with errno, in one place). */
    @ArchTest
    static final ArchRule nativeLinkingOnlyInSys = noClasses()
            .that().resideOutsideOfPackage("dev.strata.sys..")
            .should().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.Linker")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.SymbolLookup");
}
