package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.delivery.DeliveryPage;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import picocli.CommandLine.TypeConversionException;

/**
 * The new inputs of {@code beckon deliveries} and {@code worker}, as properties: any text given as
 * a listing cursor is a page or an {@link IllegalArgumentException} naming the cursor, never
 * another failure; any text given as a duration is a duration in range or a {@link
 * TypeConversionException} (a usage error, exit 2) with a bounded message.
 */
class DeliveryInputPropertyTest {

  private final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue();

  @Provide
  Arbitrary<String> cursors() {
    Arbitrary<String> hexish =
        Arbitraries.strings().withChars("0123456789abcdefABCDEFg.").ofMaxLength(70);
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        hexish,
        hexish.map(s -> "d1." + s),
        Arbitraries.strings().withCharRange('0', 'f').ofLength(64).map(s -> "d1." + s));
  }

  @Property(tries = 500)
  void anyCursorIsAPageOrRefused(@ForAll("cursors") String cursor) {
    try {
      DeliveryPage page = queue.list(null, cursor, 10);
      assertThat(cursor).matches("d1\\.[0-9a-f]{64}");
      assertThat(page.items()).isEmpty();
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).contains("cursor").hasSizeLessThan(200);
    }
  }

  @Provide
  Arbitrary<String> durations() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.strings().withChars("0123456789-+PTDHMS.smhd ").ofMaxLength(30),
        Combinators.combine(Arbitraries.longs(), Arbitraries.of("ms", "s", "m", "h", "d", ""))
            .as((n, unit) -> n + unit));
  }

  @Property(tries = 500)
  void anyDurationIsInRangeOrAUsageError(@ForAll("durations") String text) {
    try {
      Duration d = new OptionTypes.Age().convert(text);
      assertThat(d).isBetween(Duration.ZERO, Duration.ofDays(3650));
    } catch (TypeConversionException e) {
      assertThat(e.getMessage()).hasSizeLessThan(200);
    }
  }
}
