package dev.beckon.store.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The small facilities every store shares: {@link DriverUrl} (an input path: a user's driver URL),
 * {@link StoreUri#withPathTable}, the builder checks, {@link StoreResources#properties} and {@link
 * StoreProvider#cannotConnect}.
 */
class StoreHelpersTest {

  @Test
  void aDriverUrlGivesItsCredentialsApartAndPrintsNeither() {
    DriverUrl u = DriverUrl.parse("jdbc:mariadb://app:s%40cret@127.0.0.1:3306/db?password=x;y=z");
    assertThat(u.url()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/db?password=x;y=z");
    assertThat(u.user()).isEqualTo("app");
    assertThat(u.password()).isEqualTo("s@cret");
    assertThat(u.printable()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/db");
    assertThat(u).hasToString("jdbc:mariadb://127.0.0.1:3306/db");
    DriverUrl bare = DriverUrl.parse("jdbc:sqlite:refs.db");
    assertThat(bare.url()).isEqualTo("jdbc:sqlite:refs.db");
    assertThat(bare.user()).isNull();
    assertThat(bare.password()).isNull();
    assertThat(DriverUrl.parse("jdbc:postgresql://u@h/db").password()).isNull();
    assertThat(DriverUrl.parse("jdbc:postgresql://u:%zz@h/db").password()).isEqualTo("%zz");
    for (String port : List.of("0", "65536", "99999999999999999999")) {
      assertThatThrownBy(() -> DriverUrl.parse("jdbc:postgresql://u:pw@127.0.0.1:" + port + "/d"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "the port in jdbc:postgresql://127.0.0.1:"
                  + port
                  + "/d must be 1..65535, not "
                  + port);
    }
    assertThat(DriverUrl.parse("jdbc:postgresql://[::1]:5432/d").url()).contains("[::1]:5432");
  }

  @Property(tries = 500)
  void aDriverUrlNeverPrintsItsPassword(
      @ForAll @StringLength(min = 1, max = 30) @AlphaChars String password,
      @ForAll @StringLength(max = 40) String rest) {
    String text = "jdbc:x://user:PW" + password + "@h:1/" + rest;
    try {
      DriverUrl u = DriverUrl.parse(text);
      assertThat(u.password()).isEqualTo("PW" + password);
      assertThat(u.toString()).doesNotContain("PW" + password);
      assertThat(u.url()).doesNotContain("PW" + password);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).doesNotContain("PW" + password);
    }
  }

  @Property(tries = 1000)
  void anyTextGivesADriverUrlOrIllegalArgument(@ForAll String anything) {
    try {
      assertThat(DriverUrl.parse(anything).url()).isNotNull();
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageContaining("must be 1..65535");
    }
  }

  @Test
  void aPathTableIsWrittenOnceAndAConflictRefused() {
    assertThat(StoreUri.withPathTable("redis://h:1", "t", "its key prefix"))
        .isEqualTo("redis://h:1/t");
    assertThat(StoreUri.withPathTable("redis://h:1/?x=1", "t", "its key prefix"))
        .isEqualTo("redis://h:1/t?x=1");
    assertThat(StoreUri.withPathTable("redis://h:1/t", "t", "its key prefix"))
        .isEqualTo("redis://h:1/t");
    assertThat(StoreUri.withPathTable("redis://h:1/u", null, "x")).isEqualTo("redis://h:1/u");
    assertThat(StoreUri.withPathTable("no-authority", "t", "x")).isEqualTo("no-authority");
    assertThatThrownBy(() -> StoreUri.withPathTable("redis://h:1/u#f", "t", "its key prefix"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "table t conflicts with the table the store URI names (its key prefix /u); give the"
                + " table once");
  }

  @Test
  void builderChecksWordTheirRefusalsAlike() {
    Pattern rule = Pattern.compile("[a-z]{1,3}");
    assertThat(StoreBuilder.requireMatch("abc", rule, "keyPrefix", "1-3 letters")).isEqualTo("abc");
    assertThatThrownBy(() -> StoreBuilder.requireMatch("abcd", rule, "keyPrefix", "1-3 letters"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyPrefix must be 1-3 letters but was 'abcd'");
    assertThatThrownBy(() -> StoreBuilder.requireMatch(null, rule, "keyPrefix", "x"))
        .isInstanceOf(NullPointerException.class);
    assertThat(StoreBuilder.requireNonNegative(Duration.ZERO, "t")).isZero();
    assertThatThrownBy(
            () -> StoreBuilder.requireNonNegative(Duration.ofSeconds(-1), "queryTimeout"))
        .hasMessage("queryTimeout must not be negative but was PT-1S");
    assertThat(StoreBuilder.requirePositive(Duration.ofSeconds(1), "t")).hasSeconds(1);
    assertThatThrownBy(() -> StoreBuilder.requirePositive(Duration.ZERO, "requestTimeout"))
        .hasMessage("requestTimeout must be positive but was PT0S");
  }

  @Test
  void propertiesResourcesMergeInOrderAndABrokenOneSaysSo() {
    Map<String, String> files =
        Map.of("a", "x = 1\ny = 2\n", "b", "y = 3\n", "bad", "z = \\u00zz\n");
    java.util.function.Function<String, InputStream> open =
        n ->
            files.containsKey(n)
                ? new ByteArrayInputStream(files.get(n).getBytes(StandardCharsets.UTF_8))
                : null;
    Properties p = StoreResources.properties(List.of("a", "b"), open);
    assertThat(p.getProperty("x")).isEqualTo("1");
    assertThat(p.getProperty("y")).isEqualTo("3");
    assertThatThrownBy(() -> StoreResources.properties(List.of("a", "missing"), open))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> StoreResources.properties(List.of("bad"), open))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void cannotConnectKeepsTheFirstLineOnly() {
    IllegalStateException e =
        StoreProvider.cannotConnect(new RuntimeException("refused\njdbcUrl=secret"));
    assertThat(e).hasMessage("cannot connect: refused").hasCauseInstanceOf(RuntimeException.class);
    assertThat(StoreProvider.cannotConnect(new IllegalStateException()))
        .hasMessage("cannot connect: IllegalStateException");
  }

  @Test
  void aRowCountBecomesTheResultItsPreconditionImplies() {
    for (Precondition p :
        List.of(Precondition.any(), Precondition.absent(), Precondition.version("v"))) {
      assertThat(WriteResult.applied(true, p)).isEqualTo(WriteResult.ok());
    }
    assertThat(WriteResult.applied(false, Precondition.any())).isEqualTo(WriteResult.refused(null));
    assertThat(WriteResult.applied(false, Precondition.version("v")))
        .isEqualTo(WriteResult.refusedUnknownVersion());
    assertThat(WriteResult.applied(false, Precondition.absent()).versionKnown()).isFalse();
  }
}
