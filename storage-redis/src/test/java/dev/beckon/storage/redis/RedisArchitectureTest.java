package dev.beckon.storage.redis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** storage-redis uses core's public API only, no other store, and no cloud SDK. */
@AnalyzeClasses(
    packages = "dev.beckon.storage.redis",
    importOptions = ImportOption.DoNotIncludeTests.class)
class RedisArchitectureTest {

  @ArchTest
  static final ArchRule onlyCorePublicApi =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.beckon.internal..",
              "dev.beckon.storage.jdbc..",
              "dev.beckon.storage.azuretable..",
              "dev.beckon.storage.dynamodb..",
              "com.azure..",
              "software.amazon..",
              "java.sql..")
          .as("storage-redis knows core's public API only, and no other store or cloud SDK");

  @ArchTest static final ArchRule noStandardStreams = NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

  @ArchTest static final ArchRule noJavaUtilLogging = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  @ArchTest static final ArchRule noGenericExceptions = NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
}
