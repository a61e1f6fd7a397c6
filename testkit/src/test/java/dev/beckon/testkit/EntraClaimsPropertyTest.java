package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.beckon.auth.Cloud;
import dev.beckon.inbound.AuthenticationException;
import dev.beckon.inbound.InboundAuthenticator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * The claims paths of Entra ID tokens (#18), as a property: a correctly signed token with any mix
 * of issuer, {@code ver}, {@code tid}, audience and signing key (each drawn from the values an
 * attacker would try) is accepted exactly when issuer, version and key belong to the same discovery
 * document of the bot's tenant, {@code tid} is that tenant and the one audience is the app id — and
 * is otherwise refused with {@link AuthenticationException}, never another exception.
 */
class EntraClaimsPropertyTest {

  static final String APP = InboundTest.APP;
  static final String TENANT = InboundEntraAdversarialTest.TENANT;
  static final String OTHER = InboundEntraAdversarialTest.OTHER;

  private static final FakeOpenIdServer IDP = FakeOpenIdServer.start();
  private static final InboundAuthenticator AUTH =
      new InboundAuthenticator(IDP.config(APP, Cloud.PUBLIC, TENANT));
  private static final String V1 = Cloud.PUBLIC.entraV1Issuer(TENANT);
  private static final String V2 = Cloud.PUBLIC.entraV2Issuer(TENANT);

  @AfterContainer
  static void stop() {
    IDP.close();
  }

  /** Which published key signs the token. */
  enum Signer {
    /** The key of the document the issuer names (the v1.0 one for the v1.0 issuer, else v2.0). */
    ISSUERS_DOCUMENT,
    V1_DOCUMENT,
    V2_DOCUMENT,
    CHANNEL,
    OTHER_TENANT
  }

  @Provide
  Arbitrary<Signer> signers() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(Signer.ISSUERS_DOCUMENT)),
        Tuple.of(
            1,
            Arbitraries.of(
                Signer.V1_DOCUMENT, Signer.V2_DOCUMENT, Signer.CHANNEL, Signer.OTHER_TENANT)));
  }

  private static RSAKey key(Signer s, String iss) {
    return switch (s) {
      case ISSUERS_DOCUMENT -> IDP.entraSigningKey(Cloud.PUBLIC, TENANT, !iss.equals(V1));
      case V1_DOCUMENT -> IDP.entraSigningKey(Cloud.PUBLIC, TENANT, false);
      case V2_DOCUMENT -> IDP.entraSigningKey(Cloud.PUBLIC, TENANT, true);
      case CHANNEL -> IDP.channelSigningKey();
      case OTHER_TENANT -> IDP.entraSigningKey(Cloud.PUBLIC, OTHER, true);
    };
  }

  @Provide
  Arbitrary<String> issuers() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(V1, V2)),
        Tuple.of(
            3,
            Arbitraries.of(
                Cloud.PUBLIC.entraV1Issuer(OTHER),
                Cloud.PUBLIC.entraV2Issuer(OTHER),
                "https://login.microsoftonline.com/common/v2.0",
                "https://login.microsoftonline.com/organizations/v2.0",
                "https://sts.windows.net/common/",
                Cloud.US_GOV.entraV2Issuer(TENANT),
                Cloud.CHINA.entraV1Issuer(TENANT),
                V2.toUpperCase(Locale.ROOT),
                V2 + "/",
                V1 + " ",
                "https://api.botframework.com")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(60)));
  }

  @Provide
  Arbitrary<Object> versions() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("1.0", "2.0")),
        Tuple.of(1, Arbitraries.of("none", "3.0", "2", "2.0 ", "number")));
  }

  @Provide
  Arbitrary<Object> tenants() {
    // the bot's tenant half of the time, so that the other claims decide
    return Arbitraries.oneOf(
        Arbitraries.of(
            TENANT,
            TENANT,
            TENANT,
            TENANT,
            TENANT,
            OTHER,
            TENANT.toUpperCase(Locale.ROOT),
            "",
            "none",
            "list",
            "number"),
        Arbitraries.strings().ofMaxLength(40).map(t -> (Object) t));
  }

  @Provide
  Arbitrary<Object> audiences() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(APP, "list")),
        Tuple.of(1, Arbitraries.of("another-app", "api://" + APP, "two", "none")));
  }

  @Property(tries = 100)
  void acceptedExactlyWhenIssuerVersionKeyTenantAndAudienceAgree(
      @ForAll("issuers") String iss,
      @ForAll("versions") Object ver,
      @ForAll("tenants") Object tid,
      @ForAll("audiences") Object aud,
      @ForAll("signers") Signer signer) {
    FakeOpenIdServer.Token t =
        IDP.entraToken(Cloud.PUBLIC, TENANT, true, APP)
            .signingKey(key(signer, iss))
            .claim("iss", iss)
            .claim("ver", value(ver, "2.0"))
            .claim("tid", value(tid, TENANT))
            .claim("aud", value(aud, APP));
    boolean expected =
        ((iss.equals(V1)
                    && "1.0".equals(ver)
                    && (signer == Signer.V1_DOCUMENT || signer == Signer.ISSUERS_DOCUMENT))
                || (iss.equals(V2)
                    && "2.0".equals(ver)
                    && (signer == Signer.V2_DOCUMENT || signer == Signer.ISSUERS_DOCUMENT)))
            && TENANT.equals(tid)
            && (APP.equals(aud) || "list".equals(aud));
    Statistics.collect(expected ? "accepted" : "refused");
    Statistics.coverage(c -> c.check("accepted").count(n -> n > 0));
    InboundAuthenticator.Identity id = null;
    try {
      id = AUTH.authenticate("Bearer " + t.sign(), "msteams", InboundTest.SERVICE);
    } catch (AuthenticationException e) {
      assertThat(expected).as("refused: %s", e.getMessage()).isFalse();
      assertThat(e.getMessage()).doesNotContain("eyJ");
      return;
    }
    assertThat(expected).as("accepted").isTrue();
    assertThat(id.tenantId()).isEqualTo(TENANT);
    assertThat(id.issuer()).isEqualTo(iss);
  }

  /** The claim value a token carries for a drawn placeholder. */
  private static @Nullable Object value(Object drawn, String valid) {
    return switch (Objects.toString(drawn)) {
      case "none" -> null;
      case "number" -> 2.0;
      case "list" -> List.of(valid);
      case "two" -> Arrays.asList(valid, "x");
      default -> drawn;
    };
  }
}
