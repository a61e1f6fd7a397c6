package dev.beckon.ratelimit.bucket4j;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.beckon.testkit.StoreArchitectureRules;

/**
 * ratelimit-bucket4j follows the store rules (core's public API only, no Jackson, no cycles, no
 * standard streams); its public types are the three a store plugs into.
 */
@AnalyzeClasses(
    packages = "dev.beckon.ratelimit.bucket4j",
    importOptions = ImportOption.DoNotIncludeTests.class)
class Bucket4jArchitectureTest {

  @ArchTest static final ArchTests storeRules = ArchTests.in(StoreArchitectureRules.class);

  @ArchTest
  static final ArchRule publicTypes =
      StoreArchitectureRules.onlyPublicTypes(
          "Bucket4jTokenBuckets", "BucketStateStore", "StoredState");
}
