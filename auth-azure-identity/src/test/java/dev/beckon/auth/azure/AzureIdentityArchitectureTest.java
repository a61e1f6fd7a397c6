package dev.beckon.auth.azure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** auth-azure-identity uses core's public API only, and no store or other cloud SDK. */
@AnalyzeClasses(
    packages = "dev.beckon.auth.azure",
    importOptions = ImportOption.DoNotIncludeTests.class)
class AzureIdentityArchitectureTest {

  @ArchTest
  static final ArchRule onlyCorePublicApi =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.beckon.internal..",
              "dev.beckon.storage..",
              "com.azure.data..",
              "com.microsoft.aad..",
              "software.amazon..",
              "java.sql..")
          .as("auth-azure-identity knows core's public API and azure-identity's, nothing else");

  @ArchTest static final ArchRule noStandardStreams = NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

  @ArchTest static final ArchRule noJavaUtilLogging = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  @ArchTest static final ArchRule noGenericExceptions = NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
}
