package dev.beckon.storage.azuretable;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.beckon.testkit.StoreArchitectureRules;

/**
 * storage-azure-table follows the testkit's store architecture rules; its public types are these.
 */
@AnalyzeClasses(
    packages = "dev.beckon.storage.azuretable",
    importOptions = ImportOption.DoNotIncludeTests.class)
class AzureTableArchitectureTest {

  @ArchTest static final ArchTests storeRules = ArchTests.in(StoreArchitectureRules.class);

  @ArchTest
  static final ArchRule publicTypes =
      StoreArchitectureRules.onlyPublicTypes(
          "AzureTableReferenceRepository", "AzureTableStoreProvider", "ResumptionCookieImport");
}
