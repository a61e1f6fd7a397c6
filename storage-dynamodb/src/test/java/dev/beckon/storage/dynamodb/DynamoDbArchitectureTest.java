package dev.beckon.storage.dynamodb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module's architecture: core's public API only, no other store, one public entry type. */
@AnalyzeClasses(
    packages = "dev.beckon.storage.dynamodb",
    importOptions = ImportOption.DoNotIncludeTests.class)
class DynamoDbArchitectureTest {

  @ArchTest
  static final ArchRule onlyCorePublicApi =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.beckon.internal..",
              "dev.beckon.storage.jdbc..",
              "dev.beckon.storage.redis..",
              "dev.beckon.storage.azure..",
              "dev.beckon.testkit..",
              "com.fasterxml.jackson..",
              "org.apache.hc..",
              "software.amazon.awssdk.http.apache..",
              "software.amazon.awssdk.http.nio..")
          .as(
              "storage-dynamodb uses core's public API only, no other store, no Jackson, no concrete HTTP client");

  @ArchTest
  static final ArchRule onePublicEntryType =
      classes()
          .that()
          .arePublic()
          .and()
          .areTopLevelClasses()
          .should()
          .haveSimpleName("DynamoDbReferenceRepository")
          .as("DynamoDbReferenceRepository is the module's only public type");

  @ArchTest static final ArchRule noStandardStreams = NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

  @ArchTest static final ArchRule noJavaUtilLogging = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  @ArchTest static final ArchRule noGenericExceptions = NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
}
