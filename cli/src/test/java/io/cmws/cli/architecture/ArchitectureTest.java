package io.cmws.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The shape of the cli module, checked on its compiled classes in every build. */
class ArchitectureTest {
  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.cmws.cli");

  @Test
  void noPackageDependsOnItselfInACircle() {
    slices().matching("io.cmws.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void onlyMainEndsTheProcess() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.cmws.cli.Main")
        .and()
        .doNotHaveFullyQualifiedName("io.cmws.cli.CdsTraining")
        .should()
        .callMethod(System.class, "exit", int.class)
        .because("commands return exit codes; only the process entry points exit")
        .check(CLASSES);
  }
}
