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

  /**
   * Within sending and broadcasting, the public packages use their internal ones and never the
   * other way round: every package is its own slice here, and they must be free of cycles. The
   * transport SPI ({@code dev.beckon.send.transport}) sits below both the sender and Beckon's own
   * transport; the retry model ({@code dev.beckon.retry}) below everything.
   */
  @ArchTest
  static final ArchRule noCyclesBetweenTheSendAndBroadcastPackages =
      SlicesRuleDefinition.slices()
          .assignedFrom(new SendAndBroadcastPackages())
          .should()
          .beFreeOfCycles();

  /**
   * No two packages of core depend on each other in a circle, public API and {@code internal}
   * alike: each package is its own slice.
   */
  @ArchTest
  static final ArchRule noPackageCycles =
      SlicesRuleDefinition.slices().matching("dev.beckon.(**)").should().beFreeOfCycles();

  /**
   * The model records validate their values and know no JSON: reading and writing them is the
   * codecs' and {@code internal.json}'s, which sit above them.
   */
  @ArchTest
  static final ArchRule modelKnowsNoJson =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.beckon.reference", "dev.beckon.activity", "dev.beckon.internal.model")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.beckon.codec..",
              "dev.beckon.internal.json..",
              "com.fasterxml.jackson.databind..")
          .as("the model (reference, activity, internal.model) knows no codec and no JSON tree");

  /** The rules of the model's values depend on nothing else in Beckon. */
  @ArchTest
  static final ArchRule modelRulesAreTheBottom =
      noClasses()
          .that()
          .resideInAPackage("dev.beckon.internal.model")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages(
              "dev.beckon.internal.model",
              "java..",
              "org.jspecify..",
              "com.fasterxml.jackson.core.io..")
          .as("internal.model depends on nothing else in Beckon");

  /** The checkpoint SPI names none of its implementations. */
  @ArchTest
  static final ArchRule checkpointSpiKnowsNoImplementation =
      noClasses()
          .that()
          .haveFullyQualifiedName("dev.beckon.broadcast.BroadcastCheckpoints")
          .should()
          .dependOnClassesThat()
          .implement("dev.beckon.broadcast.BroadcastCheckpoints")
          .as("BroadcastCheckpoints knows none of its implementations");

  @ArchTest
  static final ArchRule theRetryModelDependsOnNoOtherBeckonPackage =
      noClasses()
          .that()
          .resideInAPackage("dev.beckon.retry")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.beckon",
              "dev.beckon.internal..",
              "dev.beckon.send..",
              "dev.beckon.broadcast..",
              "dev.beckon.store..")
          .as("dev.beckon.retry is the bottom layer: the sender, broadcasts and stores use it");

  /** One slice per package of sending, broadcasting and retrying; the rest of core is ignored. */
  static final class SendAndBroadcastPackages implements SliceAssignment {
    private static final java.util.Set<String> PACKAGES =
        java.util.Set.of(
            "dev.beckon.send",
            "dev.beckon.send.transport",
            "dev.beckon.internal.send",
            "dev.beckon.broadcast",
            "dev.beckon.internal.broadcast",
            "dev.beckon.retry");

    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      return PACKAGES.contains(c.getPackageName())
          ? SliceIdentifier.of(c.getPackageName())
          : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "the send, broadcast and retry packages, each on its own";
    }
  }

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
