package dev.beckon.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Whatever a stored reference, an activity, a connector or a retry names, a low-cardinality tag
 * takes a value from a closed set, and a high-cardinality one is bounded.
 */
class TagValuesPropertyTest {

  @Property(tries = 500)
  void lowCardinalityValuesComeFromClosedSets(
      @ForAll String channel, @ForAll String type, @ForAll int status, @ForAll String operation) {
    assertThat(TagValues.channel(channel)).isIn(withOther(TagValues.CHANNELS));
    assertThat(TagValues.activityType(type)).isIn(withOther(TagValues.ACTIVITY_TYPES));
    assertThat(TagValues.statusClass(status)).matches("[1-5]xx|none");
    String op = TagValues.nameOrOther(operation);
    assertThat(op.equals("other") || op.equals(operation)).isTrue();
    assertThat(op).matches("[A-Za-z0-9_.-]{1,64}");
  }

  @Property(tries = 300)
  void namesAreKeptOrRefusedNeverAltered(@ForAll String name) {
    if (name.matches("[A-Za-z0-9_.-]{1,64}")) {
      assertThat(TagValues.name(name, "n")).isEqualTo(name);
    } else {
      assertThatThrownBy(() -> TagValues.name(name, "n"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Property(tries = 300)
  void idsAreCutWithoutSplittingASurrogatePair(@ForAll String id) {
    String cut = TagValues.id(id + "😀".repeat(200));
    assertThat(cut.length()).isLessThanOrEqualTo(TagValues.MAX_ID);
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
  }

  private static java.util.Set<String> withOther(java.util.Set<String> known) {
    java.util.Set<String> s = new java.util.HashSet<>(known);
    s.add("other");
    return s;
  }
}
