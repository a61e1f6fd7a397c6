package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.beckon.internal.send.HttpClient5Transport;
import dev.beckon.testkit.archsample.a.A;
import dev.beckon.testkit.archsample.b.B;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each of the testkit's store architecture rules fails on a class that breaks it. */
class StoreArchitectureRulesTest {

  static final class UsesCoreInternals {
    @org.jspecify.annotations.Nullable HttpClient5Transport transport;
  }

  static final class UsesJackson {
    Object mapper() {
      return new ObjectMapper();
    }
  }

  static final class PrintsToStdout {
    void print() {
      System.out.println("no");
    }
  }

  static final class Clean {
    String name() {
      return SampleReferences.class.getSimpleName();
    }
  }

  private static JavaClasses classes(Class<?>... types) {
    return new ClassFileImporter().importClasses(types);
  }

  private static void fails(ArchRule rule, Class<?>... types) {
    assertThatThrownBy(() -> rule.check(classes(types))).isInstanceOf(AssertionError.class);
  }

  private static void passes(ArchRule rule, Class<?>... types) {
    assertThatCode(() -> rule.check(classes(types))).doesNotThrowAnyException();
  }

  @Test
  void coreInternalsAreRefused() {
    fails(StoreArchitectureRules.USES_CORE_PUBLIC_API_ONLY, UsesCoreInternals.class);
    passes(StoreArchitectureRules.USES_CORE_PUBLIC_API_ONLY, UsesJackson.class);
  }

  @Test
  void theTestkitIsRefused() {
    fails(StoreArchitectureRules.USES_CORE_PUBLIC_API_ONLY, Clean.class);
  }

  @Test
  void jacksonIsRefused() {
    fails(StoreArchitectureRules.JSON_THROUGH_CORE_ONLY, UsesJackson.class);
    passes(StoreArchitectureRules.JSON_THROUGH_CORE_ONLY, Clean.class);
  }

  @Test
  void packageCyclesAreRefused() {
    fails(StoreArchitectureRules.NO_PACKAGE_CYCLES, A.class, B.class);
    passes(StoreArchitectureRules.NO_PACKAGE_CYCLES, A.class);
  }

  @Test
  void standardStreamsAreRefused() {
    fails(StoreArchitectureRules.NO_STANDARD_STREAMS, PrintsToStdout.class);
    passes(StoreArchitectureRules.NO_STANDARD_STREAMS, Clean.class);
  }

  @Test
  void onlyTheNamedTypesArePublic() {
    passes(StoreArchitectureRules.onlyPublicTypes("A", "B"), A.class, B.class);
    fails(StoreArchitectureRules.onlyPublicTypes("A"), A.class, B.class);
    passes(StoreArchitectureRules.onlyPublicTypes("A"), A.class, Clean.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "A|B", ".*", "a.B"})
  void namesMustBeSimpleClassNames(String name) {
    assertThatThrownBy(() -> StoreArchitectureRules.onlyPublicTypes(name))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void atLeastOneNameIsNeeded() {
    assertThatThrownBy(StoreArchitectureRules::onlyPublicTypes)
        .isInstanceOf(IllegalArgumentException.class);
  }
}
