package dev.beckon.storage.dynamodb;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.beckon.testkit.StoreArchitectureRules;

/** storage-dynamodb follows the testkit's store architecture rules; its public types are these. */
@AnalyzeClasses(
    packages = "dev.beckon.storage.dynamodb",
    importOptions = ImportOption.DoNotIncludeTests.class)
class DynamoDbArchitectureTest {

  @ArchTest static final ArchTests storeRules = ArchTests.in(StoreArchitectureRules.class);

  @ArchTest
  static final ArchRule publicTypes =
      StoreArchitectureRules.onlyPublicTypes(
          "DynamoDbReferenceRepository", "DynamoDbStoreProvider", "DynamoDbTokenBuckets");
}
