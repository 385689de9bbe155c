package io.soulgraph.relay.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package structure of docs/architecture.md, checked on the compiled classes:
 * dependencies point one way, and no packages form a cycle.
 */
final class ArchitectureTest {

  private static JavaClasses soulgraph;

  @BeforeAll
  static void importClasses() {
    soulgraph = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.soulgraph");
  }

  @Test
  void hamCrdt_dependsOnTheJdkOnly() {
    classes().that().resideInAPackage("io.soulgraph.ham..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.soulgraph.ham..", "java..")
        .check(soulgraph);
  }

  @Test
  void graphCore_dependsOnNeitherRelayNorLibp2p() {
    noClasses().that().resideInAPackage("io.soulgraph.graph..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.soulgraph.relay..", "io.soulgraph.libp2p..")
        .check(soulgraph);
  }

  @Test
  void libp2p_dependsOnNoneOfOurOtherModules() {
    noClasses().that().resideInAPackage("io.soulgraph.libp2p..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.soulgraph.ham..", "io.soulgraph.graph..", "io.soulgraph.relay..")
        .check(soulgraph);
  }

  /**
   * An API package's entry points ({@code SoulStores}, {@code HostBuilder})
   * create and call its implementations, which in turn implement the API: that one edge is the
   * design, not a cycle to break. Every other package cycle fails the build.
   */
  @Test
  void packages_formNoCyclesBeyondApiToInternal() {
    slices().matching("io.soulgraph.(**)").should().beFreeOfCycles()
        .ignoreDependency(
            resideInAPackage("io.soulgraph.graph"), resideInAPackage("io.soulgraph.graph.internal"))
        .ignoreDependency(
            resideInAPackage("io.soulgraph.libp2p"),
            resideInAnyPackage("io.soulgraph.libp2p.internal..", "io.soulgraph.libp2p.protocol"))
        .check(soulgraph);
  }

  @Test
  void internalPackages_areUsedOnlyByTheirOwnModule() {
    noClasses().that().resideOutsideOfPackage("io.soulgraph.graph..")
        .should().dependOnClassesThat().resideInAPackage("io.soulgraph.graph.internal..")
        .check(soulgraph);
    noClasses().that().resideOutsideOfPackage("io.soulgraph.libp2p..")
        .should().dependOnClassesThat().resideInAPackage("io.soulgraph.libp2p.internal..")
        .check(soulgraph);
  }

  /**
   * The SEA validator is shared by every way data enters (Gun puts today, libp2p gossip and
   * catch-up later), so it knows no protocol and no transport.
   */
  @Test
  void seaValidator_dependsOnNoProtocolOrTransport() {
    noClasses().that().resideInAPackage("io.soulgraph.relay.sea..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.soulgraph.relay.gun..", "io.soulgraph.relay.http..", "io.soulgraph.relay.p2p..",
            "io.soulgraph.relay.federation..", "io.soulgraph.libp2p..", "io.javalin..",
            "jakarta.websocket..")
        .check(soulgraph);
  }
}
