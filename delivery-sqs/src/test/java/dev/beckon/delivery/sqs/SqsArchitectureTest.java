package dev.beckon.delivery.sqs;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.beckon.testkit.StoreArchitectureRules;

/**
 * delivery-sqs follows the testkit's store architecture rules; its one public type is the queue.
 */
@AnalyzeClasses(
    packages = "dev.beckon.delivery.sqs",
    importOptions = ImportOption.DoNotIncludeTests.class)
class SqsArchitectureTest {

  @ArchTest static final ArchTests storeRules = ArchTests.in(StoreArchitectureRules.class);

  @ArchTest
  static final ArchRule publicTypes =
      StoreArchitectureRules.onlyPublicTypes("SqsDeliveryQueue", "SqsDeliveryQueueProvider");
}
