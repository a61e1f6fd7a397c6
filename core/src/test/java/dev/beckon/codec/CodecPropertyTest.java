package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.reference.ConversationReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Codec round trips over generated references (issue #15): arbitrary well-formed Unicode ids
 * (Teams-shaped ones, {@code / \ # ? %}, non-ASCII, supplementary characters), unknown properties
 * at every level with nested values and exact numbers. JSON to compact to JSON gives the same
 * reference and the same bytes.
 */
class CodecPropertyTest {

  @Property(tries = 300)
  void jsonRoundTripsExactly(@ForAll("references") ConversationReference r) {
    String json = ReferenceJson.write(r);
    assertThat(ReferenceJson.read(json)).isEqualTo(r);
    assertThat(ReferenceJson.read(ReferenceJson.writeBytes(r))).isEqualTo(r);
    assertThat(ReferenceJson.read(ReferenceJson.writePretty(r))).isEqualTo(r);
    assertThat(ReferenceJson.write(ReferenceJson.read(json))).isEqualTo(json);
  }

  @Property(tries = 300)
  void jsonToCompactToJsonIsTheIdentity(@ForAll("references") ConversationReference r) {
    String compact = CompactReference.encode(r);
    assertThat(compact).startsWith(CompactReference.PREFIX).matches("b1\\.[A-Za-z0-9_-]+");
    ConversationReference back = CompactReference.decode(compact);
    assertThat(back).isEqualTo(r);
    assertThat(ReferenceJson.write(back)).isEqualTo(ReferenceJson.write(r));
    assertThat(CompactReference.encode(back)).isEqualTo(compact);
  }

  @Property(tries = 300)
  void everyPropertyOfTheRoundTripHolds(@ForAll("references") ConversationReference r) {
    RoundTrips.assertReference(r);
  }

  @Property(tries = 200)
  void cookiesKeepWhatV3Carries(@ForAll("references") ConversationReference r) {
    ConversationReference back = ResumptionCookies.read(ResumptionCookies.write(r));
    assertThat(back.key()).isEqualTo(r.key());
    assertThat(back.serviceUrl()).isEqualTo(r.serviceUrl());
    assertThat(back.locale()).isEqualTo(r.locale());
    assertThat(back.conversation().isGroup()).isEqualTo(r.conversation().isGroup());
    assertThat(back.bot() == null ? null : back.bot().id())
        .isEqualTo(r.bot() == null ? null : r.bot().id());
    assertThat(ResumptionCookies.read(ResumptionCookies.write(back))).isEqualTo(back);
  }

  @Property(tries = 100)
  void unreadableNumbersAreRefusedWhereverTheySit(
      @ForAll("references") ConversationReference r, @ForAll("unreadableNumbers") String number) {
    String json = ReferenceJson.write(r);
    String withNumber = json.substring(0, json.length() - 1) + ",\"zz\":{\"n\":[" + number + "]}}";
    assertThatThrownBy(() -> ReferenceJson.read(withNumber))
        .isInstanceOf(MalformedReferenceException.class);
  }

  @Provide
  Arbitrary<ConversationReference> references() {
    return ReferenceArbitraries.references();
  }

  @Provide
  Arbitrary<String> unreadableNumbers() {
    return Arbitraries.of(
        "1e9999999999",
        "82969e2147483646",
        "-7E-2147483640",
        "1e10000",
        "0.5e-10000",
        "1" + "0".repeat(256),
        "1e2147483648");
  }
}
