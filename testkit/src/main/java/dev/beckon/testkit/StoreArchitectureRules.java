package dev.beckon.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.Arrays;
import java.util.List;

/**
 * The architecture every store module follows, as ArchUnit rules: one definition, applied by each
 * store's test. A store applies all of them with one field, analysing its main classes only:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "dev.beckon.storage.redis", importOptions = DoNotIncludeTests.class)
 * class RedisArchitectureTest {
 *   @ArchTest static final ArchTests store = ArchTests.in(StoreArchitectureRules.class);
 *   @ArchTest static final ArchRule publicTypes =
 *       StoreArchitectureRules.onlyPublicTypes("RedisReferenceRepository");
 * }
 * }</pre>
 *
 * <p>No rule names another store: a store module cannot reach a sibling because its Maven
 * dependencies hold none (a cloud SDK or a driver that is not a dependency cannot be imported
 * either). What the build graph cannot see, these rules check: core's {@code dev.beckon.internal}
 * packages and the testkit stay out of store code, JSON goes through core's codec, packages form no
 * cycle, and no class writes to the standard streams, uses {@code java.util.logging} or throws
 * generic exceptions.
 *
 * <p>Running them needs ArchUnit's JUnit 5 engine ({@code com.tngtech.archunit:archunit-junit5}) on
 * the test class path; the testkit brings only the rules and their API.
 */
public final class StoreArchitectureRules {

  private StoreArchitectureRules() {}

  /**
   * Store code uses core's public API only: never {@code dev.beckon.internal..} nor the testkit.
   */
  @ArchTest
  public static final ArchRule USES_CORE_PUBLIC_API_ONLY =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.beckon.internal..", "dev.beckon.testkit..")
          .as("a store uses core's public API only: no dev.beckon.internal.., no testkit");

  /**
   * A store reads and writes references through core's codec ({@code ReferenceJson}) only, so every
   * store keeps the same bytes: no Jackson of its own.
   */
  @ArchTest
  public static final ArchRule JSON_THROUGH_CORE_ONLY =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.fasterxml.jackson..")
          .as("a store writes JSON through core's codec only: no Jackson");

  /** The store's packages depend on each other without a cycle. */
  @ArchTest
  public static final ArchRule NO_PACKAGE_CYCLES =
      SlicesRuleDefinition.slices()
          .matching("dev.beckon.(**)")
          .should()
          .beFreeOfCycles()
          .allowEmptyShould(true)
          .as("a store's packages form no cycle");

  /** No class writes to {@code System.out} or {@code System.err}: stores log through SLF4J. */
  @ArchTest
  public static final ArchRule NO_STANDARD_STREAMS =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

  /** No class uses {@code java.util.logging}. */
  @ArchTest
  public static final ArchRule NO_JAVA_UTIL_LOGGING =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  /** No class throws {@code Exception}, {@code RuntimeException} or {@code Throwable} itself. */
  @ArchTest
  public static final ArchRule NO_GENERIC_EXCEPTIONS =
      GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;

  /**
   * The module's public top-level types are exactly the named ones (its entry type, usually {@code
   * …ReferenceRepository}); everything else is package-private.
   *
   * @param simpleNames the simple names of the public top-level types
   * @return the rule
   */
  public static ArchRule onlyPublicTypes(String... simpleNames) {
    List<String> names = Arrays.asList(simpleNames.clone());
    if (names.isEmpty()) {
      throw new IllegalArgumentException("name at least one public type");
    }
    for (String n : names) {
      if (!n.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
        throw new IllegalArgumentException("not a simple class name: " + n);
      }
    }
    return classes()
        .that()
        .arePublic()
        .and()
        .areTopLevelClasses()
        .should()
        .haveNameMatching(".*\\.(" + String.join("|", names) + ")")
        .as("the module's only public types are " + String.join(", ", names));
  }
}
