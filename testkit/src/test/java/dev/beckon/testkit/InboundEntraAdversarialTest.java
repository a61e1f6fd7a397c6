package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.beckon.auth.Cloud;
import dev.beckon.inbound.AuthenticationConfig;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.inbound.InboundAuthenticator;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adversarial inbound suite for Entra ID tokens of a single-tenant bot (#18): next to {@link
 * InboundAdversarialTest}, each case is a token an attacker can obtain or forge — a real token of
 * another tenant or cloud, a v1.0/v2.0 mix-up, a key of the wrong discovery document, a missing or
 * mismatched {@code tid}, a multi-tenant issuer — and each must be refused with 401 and store
 * nothing, without Beckon ever fetching a discovery document the configuration did not name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InboundEntraAdversarialTest {

  static final String APP = InboundTest.APP;
  static final String TENANT = "8e2f3c1a-0b4d-4c6e-9f10-123456789abc";
  static final String OTHER = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

  private final FakeOpenIdServer idp = FakeOpenIdServer.start();

  @AfterAll
  void stop() {
    idp.close();
  }

  /** A token and the bot configuration it is presented to. */
  record Attack(String token, AuthenticationConfig config) {}

  @FunctionalInterface
  interface Scenario {
    Attack build(FakeOpenIdServer idp, MutableClock clock);
  }

  private static Named<Scenario> c(String name, Scenario s) {
    return Named.of(name, s);
  }

  static AuthenticationConfig single(FakeOpenIdServer idp, Cloud cloud, MutableClock clock) {
    return idp.config(APP, cloud, TENANT).withClock(clock);
  }

  static FakeOpenIdServer.Token v1(FakeOpenIdServer idp) {
    return idp.entraToken(Cloud.PUBLIC, TENANT, false, APP);
  }

  static FakeOpenIdServer.Token v2(FakeOpenIdServer idp) {
    return idp.entraToken(Cloud.PUBLIC, TENANT, true, APP);
  }

  static Scenario onPublic(java.util.function.Function<FakeOpenIdServer, String> token) {
    return (idp, clock) -> new Attack(token.apply(idp), single(idp, Cloud.PUBLIC, clock));
  }

  static Stream<Named<Scenario>> attacks() {
    List<Named<Scenario>> a = new ArrayList<>();
    // other tenants
    a.add(
        c(
            "another tenant's v2.0 token, signed with its own (published) key",
            onPublic(idp -> idp.entraToken(Cloud.PUBLIC, OTHER, true, APP).sign())));
    a.add(
        c(
            "another tenant's v1.0 token, signed with its own (published) key",
            onPublic(idp -> idp.entraToken(Cloud.PUBLIC, OTHER, false, APP).sign())));
    a.add(
        c(
            "another tenant's token under our issuer, tid of the other tenant",
            onPublic(
                idp ->
                    v2(idp)
                        .claim("tid", OTHER)
                        .signingKey(idp.entraSigningKey(Cloud.PUBLIC, OTHER, true))
                        .sign())));
    a.add(
        c(
            "another tenant's issuer and tid, signed with our tenant's key",
            onPublic(
                idp ->
                    v2(idp)
                        .claim("iss", Cloud.PUBLIC.entraV2Issuer(OTHER))
                        .claim("tid", OTHER)
                        .sign())));
    // tid
    a.add(c("v2.0 token without tid", onPublic(idp -> v2(idp).claim("tid", null).sign())));
    a.add(c("v1.0 token without tid", onPublic(idp -> v1(idp).claim("tid", null).sign())));
    a.add(
        c(
            "tid of another tenant, issuer ours",
            onPublic(idp -> v2(idp).claim("tid", OTHER).sign())));
    a.add(
        c(
            "tid in upper case",
            onPublic(
                idp -> v2(idp).claim("tid", TENANT.toUpperCase(java.util.Locale.ROOT)).sign())));
    a.add(c("tid as a number", onPublic(idp -> v2(idp).claim("tid", 42).sign())));
    a.add(c("tid as a list", onPublic(idp -> v2(idp).claim("tid", List.of(TENANT)).sign())));
    a.add(c("tid empty", onPublic(idp -> v1(idp).claim("tid", "").sign())));
    // v1 / v2 mix-ups
    a.add(
        c(
            "v1.0 issuer signed with the v2.0 document's key",
            onPublic(
                idp ->
                    v1(idp).signingKey(idp.entraSigningKey(Cloud.PUBLIC, TENANT, true)).sign())));
    a.add(
        c(
            "v2.0 issuer signed with the v1.0 document's key",
            onPublic(
                idp ->
                    v2(idp).signingKey(idp.entraSigningKey(Cloud.PUBLIC, TENANT, false)).sign())));
    a.add(c("v2.0 issuer with ver 1.0", onPublic(idp -> v2(idp).claim("ver", "1.0").sign())));
    a.add(c("v1.0 issuer with ver 2.0", onPublic(idp -> v1(idp).claim("ver", "2.0").sign())));
    a.add(c("ver missing", onPublic(idp -> v2(idp).claim("ver", null).sign())));
    a.add(c("ver as a number", onPublic(idp -> v2(idp).claim("ver", 2.0).sign())));
    a.add(
        c(
            "v2.0 issuer without its /v2.0 (a v1.0-shaped issuer on login.microsoftonline.com)",
            onPublic(
                idp ->
                    v2(idp)
                        .claim("iss", "https://login.microsoftonline.com/" + TENANT + "/")
                        .sign())));
    // keys of the wrong document
    a.add(
        c(
            "Bot Framework channel key on an Entra v2.0 token",
            onPublic(idp -> v2(idp).signingKey(idp.channelSigningKey()).sign())));
    a.add(
        c(
            "Bot Framework channel key on an Entra v1.0 token",
            onPublic(idp -> v1(idp).signingKey(idp.channelSigningKey()).sign())));
    a.add(
        c(
            "Entra key on a Bot Framework channel token",
            onPublic(
                idp ->
                    idp.channelToken(APP, InboundTest.SERVICE)
                        .signingKey(idp.entraSigningKey(Cloud.PUBLIC, TENANT, true))
                        .sign())));
    a.add(
        c(
            "Entra key's kid on a channel token signed with the channel key",
            onPublic(
                idp ->
                    idp.channelToken(APP, InboundTest.SERVICE)
                        .kid(idp.entraSigningKey(Cloud.PUBLIC, TENANT, true).getKeyID())
                        .sign())));
    a.add(
        c(
            "channel key's kid on an Entra token signed with the Entra key",
            onPublic(idp -> v2(idp).kid(idp.channelSigningKey().getKeyID()).sign())));
    a.add(
        c("forged signature under the tenant key's kid", onPublic(idp -> v2(idp).forged().sign())));
    // multi-tenant and templated issuers
    for (String iss :
        List.of(
            "https://login.microsoftonline.com/common/v2.0",
            "https://login.microsoftonline.com/organizations/v2.0",
            "https://login.microsoftonline.com/consumers/v2.0",
            "https://login.microsoftonline.com/{tenantid}/v2.0",
            "https://sts.windows.net/common/",
            "https://sts.windows.net/organizations/",
            "https://sts.windows.net/{tenantid}/")) {
      a.add(c("multi-tenant issuer " + iss, onPublic(idp -> v2(idp).claim("iss", iss).sign())));
    }
    a.add(
        c(
            "issuer with an upper-case tenant",
            onPublic(
                idp ->
                    v2(idp)
                        .claim(
                            "iss",
                            Cloud.PUBLIC
                                .entraV2Issuer(TENANT)
                                .replace(TENANT, TENANT.toUpperCase(java.util.Locale.ROOT)))
                        .sign())));
    a.add(
        c(
            "issuer over http",
            onPublic(
                idp ->
                    v2(idp)
                        .claim(
                            "iss",
                            Cloud.PUBLIC.entraV2Issuer(TENANT).replace("https://", "http://"))
                        .sign())));
    a.add(
        c(
            "issuer with a trailing slash",
            onPublic(
                idp -> v2(idp).claim("iss", Cloud.PUBLIC.entraV2Issuer(TENANT) + "/").sign())));
    // clouds
    a.add(
        c(
            "US Government v2.0 token of our tenant at a public-cloud bot",
            onPublic(idp -> idp.entraToken(Cloud.US_GOV, TENANT, true, APP).sign())));
    a.add(
        c(
            "China v1.0 token of our tenant at a public-cloud bot",
            onPublic(idp -> idp.entraToken(Cloud.CHINA, TENANT, false, APP).sign())));
    a.add(
        c(
            "public v2.0 token of our tenant at a US Government bot",
            (idp, clock) -> new Attack(v2(idp).sign(), single(idp, Cloud.US_GOV, clock))));
    a.add(
        c(
            "public v1.0 token (the same sts.windows.net issuer) at a US Government bot",
            (idp, clock) -> new Attack(v1(idp).sign(), single(idp, Cloud.US_GOV, clock))));
    a.add(
        c(
            "public channel token at a US Government bot",
            (idp, clock) ->
                new Attack(
                    idp.channelToken(APP, InboundTest.SERVICE).sign(),
                    single(idp, Cloud.US_GOV, clock))));
    a.add(
        c(
            "US Government channel token at a public-cloud bot",
            onPublic(
                idp ->
                    idp.channelToken(APP, InboundTest.SERVICE)
                        .claim("iss", Cloud.US_GOV.channelIssuer())
                        .sign())));
    a.add(
        c(
            "our tenant's token at a bot with no tenant configured (multi-tenant)",
            (idp, clock) ->
                new Attack(v2(idp).sign(), idp.config(APP, Cloud.PUBLIC, null).withClock(clock))));
    // audience and lifetime
    a.add(c("another app's audience", onPublic(idp -> v2(idp).claim("aud", "another-app").sign())));
    a.add(
        c(
            "the app id URI as audience",
            onPublic(idp -> v1(idp).claim("aud", "api://" + APP).sign())));
    a.add(
        c(
            "two audiences, ours and another",
            onPublic(idp -> v2(idp).claim("aud", List.of(APP, "another-app")).sign())));
    a.add(c("no audience", onPublic(idp -> v2(idp).claim("aud", null).sign())));
    a.add(
        c(
            "expired",
            onPublic(
                idp ->
                    v2(idp).issuedAt(java.time.Instant.now().minus(Duration.ofHours(3))).sign())));
    a.add(c("alg none", onPublic(idp -> v2(idp).unsigned())));
    a.add(c("HS256 with the tenant's public key", onPublic(idp -> v2(idp).hs256WithPublicKey())));
    return a.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void everyForgedEntraTokenIsRefusedAndNothingIsStored(Scenario scenario) {
    MutableClock clock = MutableClock.now();
    Attack attack = scenario.build(idp, clock);
    InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
    CaptureHandler handler =
        CaptureHandler.builder(repo)
            .authenticator(new InboundAuthenticator(attack.config()))
            .maxBodyBytes(64 * 1024)
            .build();
    int before = idp.requestedPaths().size();
    CaptureHandler.Result r =
        handler.handle("Bearer " + attack.token(), InboundTest.message("a:c"));
    assertThat(r.status()).as(r.message()).isEqualTo(401);
    assertThat(r.outcome()).isEqualTo(CaptureHandler.Outcome.UNAUTHORIZED);
    assertThat(r.message()).doesNotContain("eyJ");
    assertThat(repo.size()).as("nothing stored").isZero();
    assertThat(idp.requestedPaths().subList(before, idp.requestedPaths().size()))
        .as("only the configured tenant's documents are ever fetched")
        .noneMatch(p -> p.contains(OTHER))
        .allMatch(
            p ->
                p.startsWith("/channel/")
                    || p.startsWith("/emulator/")
                    || (p.startsWith("/entra/") && p.contains("/" + TENANT + "/")));
  }

  @Test
  void theSuiteHasAtLeastFortyCases() {
    assertThat(attacks().count()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void theTenantsOwnV1AndV2TokensAreAcceptedWithTheirTenantAndCaller() {
    MutableClock clock = MutableClock.now();
    InboundAuthenticator auth = new InboundAuthenticator(single(idp, Cloud.PUBLIC, clock));
    InboundAuthenticator.Identity one =
        auth.authenticate("Bearer " + v1(idp).sign(), "msteams", InboundTest.SERVICE);
    InboundAuthenticator.Identity two =
        auth.authenticate("Bearer " + v2(idp).sign(), "msteams", InboundTest.SERVICE);
    assertThat(one.entra()).isTrue();
    assertThat(one.tenantId()).isEqualTo(TENANT);
    assertThat(one.issuer()).isEqualTo("https://sts.windows.net/" + TENANT + "/");
    assertThat(one.callerAppId()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(two.issuer()).isEqualTo("https://login.microsoftonline.com/" + TENANT + "/v2.0");
    assertThat(two.tenantId()).isEqualTo(TENANT);
    assertThat(two.callerAppId()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(two.emulator()).isFalse();
    InboundAuthenticator.Identity channel =
        auth.authenticate(
            "Bearer " + idp.channelToken(APP, InboundTest.SERVICE).sign(),
            "msteams",
            InboundTest.SERVICE);
    assertThat(channel.entra()).as("channel tokens still work beside Entra ones").isFalse();

    InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
    CaptureHandler handler = CaptureHandler.builder(repo).authenticator(auth).build();
    assertThat(handler.handle("Bearer " + v2(idp).sign(), InboundTest.message("a:e")).status())
        .isEqualTo(200);
    assertThat(repo.size()).isEqualTo(1);
  }

  @Test
  void aSingleTenantConfigRefusesMultiTenantAliases() {
    for (String tenant : List.of("common", "organizations", "consumers", "contoso.com")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> AuthenticationConfig.forCloud(Cloud.PUBLIC, APP, tenant))
          .as(tenant)
          .isInstanceOf(IllegalArgumentException.class);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                AuthenticationConfig.anonymous()
                    .withEntra(AuthenticationConfig.Entra.of(Cloud.PUBLIC, TENANT)))
        .as("Entra tokens need an audience")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theKeyOfOneDocumentIsNotTheKeyOfAnother() {
    RSAKey v1 = idp.entraSigningKey(Cloud.PUBLIC, TENANT, false);
    RSAKey v2 = idp.entraSigningKey(Cloud.PUBLIC, TENANT, true);
    RSAKey gov = idp.entraSigningKey(Cloud.US_GOV, TENANT, true);
    assertThat(
            List.of(
                v1.getKeyID(), v2.getKeyID(), gov.getKeyID(), idp.channelSigningKey().getKeyID()))
        .as("the fake's documents are told apart by their keys")
        .doesNotHaveDuplicates();
  }
}
