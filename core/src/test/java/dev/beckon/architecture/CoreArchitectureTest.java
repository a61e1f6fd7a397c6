package dev.beckon.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

/**
 * The rules of ARCHITECTURE.md that concern {@code beckon-core}, checked on every build. To see one
 * fail, add {@code import dev.beckon.storage.jdbc.JdbcReferenceRepository;} and a use of it to any
 * core class: {@link #coreKnowsNoStoreAndNoCloud} breaks the build.
 */
@AnalyzeClasses(packages = "dev.beckon", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  @ArchTest
  static final ArchRule coreKnowsNoStoreAndNoCloud =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.beckon.storage..",
              "redis.clients..",
              "com.azure..",
              "software.amazon..",
              "java.sql..",
              "org.junit..",
              "org.assertj..")
          .as("core knows no store, no cloud SDK, no JDBC and no JUnit");

  @ArchTest static final ArchRule noStandardStreams = NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

  @ArchTest static final ArchRule noJavaUtilLogging = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  @ArchTest static final ArchRule noGenericExceptions = NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;

  @ArchTest
  static final ArchRule httpClientOnlyInInternal =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.beckon.internal..")
          .and()
          .areNotAnnotatedWith(Deprecated.class)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.hc..")
          .as("HttpClient 5 types stay in dev.beckon.internal.. and out of the public API");

  /**
   * Features must not depend on each other in a circle. The reference model (references,
   * activities, codecs and their internal JSON support) is one slice: it is one layer that every
   * feature builds on.
   */
  @ArchTest
  static final ArchRule noCyclesBetweenFeatures =
      SlicesRuleDefinition.slices().assignedFrom(new FeatureSlices()).should().beFreeOfCycles();

  /** Assigns each core class to its feature. */
  static final class FeatureSlices implements SliceAssignment {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      String p = c.getPackageName();
      if (!p.startsWith("dev.beckon")) {
        return SliceIdentifier.ignore();
      }
      String rest = p.equals("dev.beckon") ? "" : p.substring("dev.beckon.".length());
      if (rest.startsWith("internal.")) {
        rest = rest.substring("internal.".length());
      }
      String feature = rest.isEmpty() ? "model" : rest.split("\\.", -1)[0];
      if (feature.equals("reference")
          || feature.equals("activity")
          || feature.equals("codec")
          || feature.equals("json")
          || feature.equals("model")) {
        feature = "model";
      }
      return SliceIdentifier.of(feature);
    }

    @Override
    public String getDescription() {
      return "core features (model, store, send, auth, broadcast, inbound, ...)";
    }
  }
}
