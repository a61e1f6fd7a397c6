package dev.beckon.store.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.store.ListQuery;
import dev.beckon.store.Segment;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * The listing cursor is an input path (a caller hands back any string): it round-trips every
 * position, refuses another query's or store's cursor, and answers any string with a position or
 * {@link IllegalArgumentException} only.
 */
class ListingCursorPropertyTest {

  private static final byte[] ALL = ListingCursor.binding("store-a", ListQuery.all());

  @Provide
  Arbitrary<String> positions() {
    return Arbitraries.strings()
        .ofMinLength(0)
        .ofMaxLength(ScanResult.MAX_POSITION_LENGTH)
        .filter(ListingCursorPropertyTest::wellFormed);
  }

  @Property(tries = 500)
  void everyPositionRoundTrips(@ForAll("positions") String position) {
    assertThat(ListingCursor.decode(ListingCursor.encode(ALL, position), ALL)).isEqualTo(position);
  }

  @Property(tries = 300)
  void anotherQueryOrStoreIsRefused(
      @ForAll("positions") String position,
      @ForAll @IntRange(min = 0, max = 3) int which,
      @ForAll @StringLength(min = 1, max = 20) @net.jqwik.api.constraints.AlphaChars String value) {
    ListQuery other =
        switch (which) {
          case 0 -> ListQuery.channel(value);
          case 1 -> ListQuery.all().withTenant(value);
          case 2 -> ListQuery.all().withSegment(Segment.of(0, 2));
          default -> ListQuery.all();
        };
    String store = which == 3 ? "store-b" : "store-a";
    String cursor = ListingCursor.encode(ALL, position);
    assertThatThrownBy(() -> ListingCursor.decode(cursor, ListingCursor.binding(store, other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another query or another store");
  }

  @Property(tries = 2000)
  void anyStringGivesAPositionOrIllegalArgument(@ForAll String anything) {
    try {
      ListingCursor.decode(anything, ALL);
    } catch (IllegalArgumentException expected) {
      assertThat(expected).hasMessageStartingWith("cursor was not produced by this listing");
    }
  }

  @Property(tries = 1000)
  void anyEditIsRefusedOrMeansTheSamePosition(
      @ForAll("positions") String position,
      @ForAll @IntRange(min = 0, max = 10_000) int at,
      @ForAll @IntRange(min = 1, max = 63) int shift) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    String cursor = ListingCursor.encode(ALL, position);
    int i = 3 + at % (cursor.length() - 3);
    char swapped =
        alphabet.charAt((alphabet.indexOf(cursor.charAt(i)) + shift) % alphabet.length());
    String edited = cursor.substring(0, i) + swapped + cursor.substring(i + 1);
    try {
      assertThat(ListingCursor.decode(edited, ALL)).isEqualTo(position);
    } catch (IllegalArgumentException expected) {
      // refused: damaged, edited or truncated
    }
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
