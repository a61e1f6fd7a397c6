package dev.beckon.spring.boot.autoconfigure;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.LocationProvider;
import com.tngtech.archunit.lang.ArchRule;
import dev.beckon.testkit.StoreArchitectureRules;
import java.util.Set;

/**
 * The starter follows the rules every Beckon module does (core's public API only, no package
 * cycles, no standard streams, no JUL, no generic exceptions); its public types are these.
 */
@AnalyzeClasses(
    locations = SpringBootArchitectureTest.MainClasses.class,
    importOptions = ImportOption.DoNotIncludeTests.class)
class SpringBootArchitectureTest {

  /** Only this module's main classes: scanning the classpath for the package takes long here. */
  static final class MainClasses implements LocationProvider {
    @Override
    public Set<Location> get(Class<?> testClass) {
      return Set.of(
          Location.of(
              BeckonAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation()));
    }
  }

  @ArchTest static final ArchRule coreApiOnly = StoreArchitectureRules.USES_CORE_PUBLIC_API_ONLY;

  @ArchTest static final ArchRule noCycles = StoreArchitectureRules.NO_PACKAGE_CYCLES;

  @ArchTest static final ArchRule noStreams = StoreArchitectureRules.NO_STANDARD_STREAMS;

  @ArchTest static final ArchRule noJul = StoreArchitectureRules.NO_JAVA_UTIL_LOGGING;

  @ArchTest
  static final ArchRule noGenericExceptions = StoreArchitectureRules.NO_GENERIC_EXCEPTIONS;

  @ArchTest
  static final ArchRule publicTypes =
      StoreArchitectureRules.onlyPublicTypes(
          "BeckonProperties",
          "ActivityHandler",
          "BroadcastFactory",
          "BeckonDecorator",
          "BeckonHealth",
          "BeckonAutoConfiguration",
          "BeckonWebAutoConfiguration",
          "BeckonHealthAutoConfiguration",
          "BeckonObservationAutoConfiguration");
}
