package io.cmws.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.java_websocket.WebSocketImpl;
import org.junit.jupiter.api.Test;

/** The shape of server-lite, checked on its compiled classes in every build. */
class ArchitectureTest {
  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.cmws");

  @Test
  void serverLiteNeverDependsOnTheCliPicocliOrJline() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.cmws.cli..", "picocli..", "org.jline..")
        .because("server-lite must stay embeddable without the command line")
        .check(CLASSES);
  }

  @Test
  void noPackageDependsOnItselfInACircle() {
    slices().matching("io.cmws.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void theProtocolIsRecordsAndJsonOnly() {
    classes()
        .that()
        .resideInAPackage("io.cmws.protocol..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.cmws.protocol..", "java..", "com.fasterxml.jackson..")
        .because("the protocol is shared by hub, clients and workers; transport lives elsewhere")
        .check(CLASSES);
  }

  @Test
  void onlyTheTransportTouchesJavaWebSocket() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.cmws.transport..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.java_websocket..")
        .check(CLASSES);
  }

  @Test
  void onlyOneAdapterReachesIntoTheLibrarysConnectionInternals() {
    noClasses()
        .that()
        .doNotHaveSimpleName("LibrarySocket")
        .should()
        .accessField(WebSocketImpl.class, "outQueue")
        .orShould()
        .callMethod(WebSocketImpl.class, "getSelectionKey")
        .check(CLASSES);
  }
}
