package dev.beckon.codec;

import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.jspecify.annotations.Nullable;

/** jqwik generators of well-formed references, ids and JSON values, for the property tests. */
// test code on the module path: jqwik types in a test helper's signatures are not an API
@SuppressWarnings("exports")
public final class ReferenceArbitraries {

  private static final Set<String> REFERENCE_FIELDS =
      Set.of("activityId", "user", "bot", "conversation", "channelId", "locale", "serviceUrl");
  private static final Set<String> ACCOUNT_FIELDS = Set.of("id", "name", "aadObjectId", "role");
  private static final Set<String> CONVERSATION_FIELDS =
      Set.of(
          "id", "name", "isGroup", "group", "conversationType", "tenantId", "aadObjectId", "role");

  private ReferenceArbitraries() {}

  /**
   * References with every field optional field present or not and unknown properties.
   *
   * @return the arbitrary
   */
  public static Arbitrary<ConversationReference> references() {
    return Combinators.combine(
            ids().injectNull(0.3),
            accounts().injectNull(0.3),
            accounts().injectNull(0.3),
            conversations(),
            ids(),
            text().injectNull(0.5),
            serviceUrls(),
            extra(REFERENCE_FIELDS))
        .as(
            (activityId, user, bot, conversation, channel, locale, url, extra) ->
                new ConversationReference(
                    activityId, user, bot, conversation, channel, locale, url, extra));
  }

  static Arbitrary<ChannelAccount> accounts() {
    return Combinators.combine(
            ids().injectNull(0.2),
            text().injectNull(0.3),
            text().injectNull(0.6),
            Arbitraries.of("user", "bot").injectNull(0.5),
            extra(ACCOUNT_FIELDS))
        .as(ChannelAccount::new);
  }

  static Arbitrary<ConversationAccount> conversations() {
    return Combinators.combine(
            ids(),
            text().injectNull(0.5),
            Arbitraries.of(true, false).injectNull(0.4),
            Arbitraries.of("personal", "groupChat", "channel").injectNull(0.4),
            ids().injectNull(0.5),
            text().injectNull(0.7),
            text().injectNull(0.8),
            extra(CONVERSATION_FIELDS))
        .as(ConversationAccount::new);
  }

  static Arbitrary<String> serviceUrls() {
    return Arbitraries.of(
        "https://smba.trafficmanager.net/amer/",
        "https://smba.trafficmanager.net/emea",
        "https://europe.webchat.botframework.com/",
        "http://localhost:3978",
        "http://127.0.0.1:52673/");
  }

  /**
   * Well-formed ids: Teams-shaped, URL-hostile, non-ASCII, supplementary; never blank, no NUL.
   *
   * @return the arbitrary
   */
  public static Arbitrary<String> ids() {
    Arbitrary<String> teams =
        Combinators.combine(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20),
                Arbitraries.longs().between(0, 9_999_999_999_999L))
            .as((s, n) -> "19:" + s + "@thread.tacv2;messageid=" + n);
    Arbitrary<String> personal =
        Arbitraries.strings()
            .alpha()
            .numeric()
            .withChars("-_")
            .ofMinLength(1)
            .ofMaxLength(40)
            .map(s -> "a:" + s);
    Arbitrary<String> hostile =
        Arbitraries.strings()
            .withChars("/\\#?%&=+;:@|. ab\u00e9\u4e2d")
            .ofMinLength(1)
            .ofMaxLength(16);
    Arbitrary<String> unicode = codePointStrings(1, 24, false);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, teams),
            net.jqwik.api.Tuple.of(2, personal),
            net.jqwik.api.Tuple.of(3, hostile),
            net.jqwik.api.Tuple.of(4, unicode),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.of("msteams", "emulator", "directline", "webchat", "slack")))
        .filter(s -> !s.isBlank());
  }

  /** Well-formed text of any code point, NUL included. */
  static Arbitrary<String> text() {
    return codePointStrings(0, 24, true);
  }

  static Arbitrary<String> codePointStrings(int min, int max, boolean nul) {
    Arbitrary<Integer> cp =
        Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0x20, 0x7e)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(nul ? 0 : 1, 0x1f)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0x80, 0xFFFF)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)))
            .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE);
    return cp.list()
        .ofMinSize(min)
        .ofMaxSize(max)
        .map(
            l -> {
              StringBuilder b = new StringBuilder();
              l.forEach(b::appendCodePoint);
              return b.toString();
            });
  }

  static Arbitrary<Map<String, @Nullable Object>> extra(Set<String> modelled) {
    return Arbitraries.maps(text().filter(k -> !modelled.contains(k)), values(2))
        .ofMaxSize(3)
        .map(m -> new LinkedHashMap<String, @Nullable Object>(m));
  }

  static Arbitrary<@Nullable Object> values(int depth) {
    Arbitrary<Object> scalars =
        Arbitraries.oneOf(
            text(),
            Arbitraries.of(true, false),
            Arbitraries.integers(),
            Arbitraries.longs(),
            Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 12))
                .as((l, p) -> (Object) BigInteger.valueOf(l).multiply(BigInteger.TEN.pow(p))),
            Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(-9_999, 9_999))
                .as((u, scale) -> (Object) BigDecimal.valueOf(u, scale)),
            Arbitraries.of(0.5d, 0.1d, -1e300, 4.9e-324, Double.MAX_VALUE, 123.456d, 0.1f, 1e10f)
                .map(d -> (Object) d));
    if (depth == 0) {
      return scalars.injectNull(0.1).map(o -> o);
    }
    Arbitrary<Object> list = values(depth - 1).list().ofMaxSize(3).map(l -> (Object) l);
    Arbitrary<Object> map =
        Arbitraries.maps(text(), values(depth - 1))
            .ofMaxSize(3)
            .map(m -> (Object) new LinkedHashMap<>(m));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, scalars),
            net.jqwik.api.Tuple.of(1, list),
            net.jqwik.api.Tuple.of(1, map))
        .injectNull(0.1);
  }
}
