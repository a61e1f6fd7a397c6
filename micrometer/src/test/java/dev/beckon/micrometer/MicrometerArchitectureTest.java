package dev.beckon.micrometer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * beckon-micrometer uses core's public API and Micrometer's only: no store, no cloud SDK, no
 * tracing bridge (tracing is the user's registry's business), no Spring. One package (its
 * implementation classes are package-private), so no package cycle can form.
 */
@AnalyzeClasses(
    packages = "dev.beckon.micrometer",
    importOptions = ImportOption.DoNotIncludeTests.class)
class MicrometerArchitectureTest {

  @ArchTest
  static final ArchRule onlyCorePublicApiAndMicrometer =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.beckon.internal..",
              "dev.beckon.storage..",
              "dev.beckon.testkit..",
              "io.micrometer.tracing..",
              "io.opentelemetry..",
              "org.springframework..",
              "org.apache.hc..",
              "com.azure..",
              "software.amazon..",
              "redis.clients..",
              "java.sql..")
          .as("beckon-micrometer knows core's public API and Micrometer's, nothing else");

  @ArchTest static final ArchRule noStandardStreams = NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

  @ArchTest static final ArchRule noJavaUtilLogging = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  @ArchTest static final ArchRule noGenericExceptions = NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
}
