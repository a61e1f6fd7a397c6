package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.inbound.InboundAuthenticator;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adversarial inbound suite (#15): each case is a request an attacker can send to the bot's
 * endpoint — the body and every header are theirs; a few cases use the channel's real signing key
 * to show that even a correctly signed token is refused when it is malformed, ambiguous or outside
 * its limits. Each case asserts a 4xx answer and that the real {@link InMemoryReferenceRepository}
 * behind {@link CaptureHandler} stayed empty; the header-injection cases also assert that the
 * attacker's {@code jku}/{@code x5u} URL (served by the {@link FakeOpenIdServer} itself) was never
 * requested.
 *
 * <p>What a Bot Framework token binds — issuer, audience, the {@code serviceurl}, a lifetime, and
 * (through the key's endorsements) the channel — and what it does not — the conversation and the
 * activity — is in {@link InboundAuthenticator}'s javadoc; {@link
 * #aValidTokenIsNotBoundToAConversation()} shows the latter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InboundAdversarialTest {

  static final String APP = InboundTest.APP;
  static final String SERVICE = InboundTest.SERVICE;
  static final List<String> DEFAULT_ENDORSEMENTS =
      List.of("msteams", "emulator", "directline", "webchat", "test");

  private final FakeOpenIdServer idp = FakeOpenIdServer.start();
  private final RSAKey attacker = rsa("attacker-kid");
  private final X509Certificate attackerCert;
  private final PrivateKey attackerCertKey;

  InboundAdversarialTest() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = getClass().getResourceAsStream("attacker.p12")) {
      ks.load(in, "attacker".toCharArray());
    }
    attackerCert = (X509Certificate) ks.getCertificate("attacker");
    attackerCertKey = (PrivateKey) ks.getKey("attacker", "attacker".toCharArray());
  }

  @AfterAll
  void stop() {
    idp.close();
  }

  /** What the attacker sends. */
  @SuppressWarnings("ArrayRecordComponent") // test data, never compared
  record Attack(String authorization, byte[] body) {}

  /** Builds an attack against the shared server, the clock of this case and the attacker's keys. */
  @FunctionalInterface
  interface Scenario {
    Attack build(InboundAdversarialTest t, MutableClock clock) throws Exception;
  }

  // ---- building blocks -------------------------------------------------------------------

  private static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] body() {
    return InboundTest.message("a:conv");
  }

  static byte[] bodyAt(String serviceUrl) {
    return InboundTest.activity("message", "msteams", "a:conv", "")
        .replace(SERVICE, serviceUrl)
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bodyOn(String channel) {
    return InboundTest.activity("message", channel, "a:conv", "").getBytes(StandardCharsets.UTF_8);
  }

  FakeOpenIdServer.Token valid() {
    return idp.channelToken(APP, SERVICE);
  }

  String publishedKid() {
    return idp.channelSigningKey().getKeyID();
  }

  static Attack bearer(String token, byte[] body) {
    return new Attack("Bearer " + token, body);
  }

  /** Signs the claims of a valid token under a header built by the case, with any signer. */
  String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws JOSEException {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** A hand-written header and payload signed with the channel's real key. */
  String realKeyRaw(String headerJson, String payloadJson) {
    return FakeOpenIdServer.signRaw(idp.channelSigningKey(), headerJson, payloadJson);
  }

  String header() {
    return "{\"alg\":\"RS256\",\"kid\":\"" + publishedKid() + "\",\"typ\":\"JWT\"}";
  }

  /**
   * The payload of a valid token as JSON text, with one claim's JSON value replaced (or removed
   * when null).
   */
  String payloadWith(String claim, String jsonValue) {
    Map<String, Object> m = new LinkedHashMap<>(valid().claimsSet().toJSONObject());
    StringBuilder b = new StringBuilder("{");
    boolean replaced = false;
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String v = e.getKey().equals(claim) ? jsonValue : json(e.getValue());
      replaced |= e.getKey().equals(claim);
      if (v != null) {
        b.append(b.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":").append(v);
      }
    }
    if (!replaced && jsonValue != null) {
      b.append(",\"").append(claim).append("\":").append(jsonValue);
    }
    return b.append('}').toString();
  }

  /** The payload of a valid token with text inserted right after the opening brace. */
  String payloadPrefixed(String members) {
    return "{" + members + "," + payloadWith("jti", null).substring(1);
  }

  private static String json(Object v) {
    if (v instanceof String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(x -> parts.add(json(x)));
      return "[" + String.join(",", parts) + "]";
    }
    return String.valueOf(v);
  }

  static long epoch(Instant i) {
    return i.getEpochSecond();
  }

  // ---- the cases -------------------------------------------------------------------------

  static Arguments c(String name, Scenario s) {
    return Arguments.of(Named.of(name, s));
  }

  Stream<Arguments> attacks() {
    List<Arguments> a = new ArrayList<>();

    // header injection: the attacker's own key, advertised in the token, must never be used or
    // fetched
    a.add(
        c(
            "jku to the attacker's key set, attacker kid",
            (t, clock) -> {
              URI jku = idp.attackerContent("jwks", new JWKSet(attacker.toPublicJWK()).toString());
              return bearer(
                  sign(
                      new JWSHeader.Builder(JWSAlgorithm.RS256)
                          .keyID(attacker.getKeyID())
                          .jwkURL(jku)
                          .build(),
                      valid().claimsSet(),
                      new RSASSASigner(attacker)),
                  body());
            }));
    a.add(
        c(
            "jku to the attacker's key set, published kid",
            (t, clock) -> {
              RSAKey same = rsa(publishedKid());
              URI jku =
                  idp.attackerContent("jwks-same-kid", new JWKSet(same.toPublicJWK()).toString());
              return bearer(
                  sign(
                      new JWSHeader.Builder(JWSAlgorithm.RS256)
                          .keyID(publishedKid())
                          .jwkURL(jku)
                          .build(),
                      valid().claimsSet(),
                      new RSASSASigner(same)),
                  body());
            }));
    a.add(
        c(
            "jku without kid",
            (t, clock) -> {
              URI jku =
                  idp.attackerContent("jwks-nokid", new JWKSet(attacker.toPublicJWK()).toString());
              return bearer(
                  sign(
                      new JWSHeader.Builder(JWSAlgorithm.RS256).jwkURL(jku).build(),
                      valid().claimsSet(),
                      new RSASSASigner(attacker)),
                  body());
            }));
    a.add(
        c(
            "x5u to the attacker's certificate, attacker kid",
            (t, clock) -> {
              URI x5u =
                  idp.attackerContent(
                      "cert",
                      java.util.Base64.getMimeEncoder().encodeToString(attackerCert.getEncoded()));
              return bearer(
                  sign(
                      new JWSHeader.Builder(JWSAlgorithm.RS256)
                          .keyID("attacker-cert")
                          .x509CertURL(x5u)
                          .build(),
                      valid().claimsSet(),
                      new RSASSASigner(attackerCertKey)),
                  body());
            }));
    a.add(
        c(
            "x5u to the attacker's certificate, published kid",
            (t, clock) -> {
              URI x5u =
                  idp.attackerContent(
                      "cert2",
                      java.util.Base64.getMimeEncoder().encodeToString(attackerCert.getEncoded()));
              return bearer(
                  sign(
                      new JWSHeader.Builder(JWSAlgorithm.RS256)
                          .keyID(publishedKid())
                          .x509CertURL(x5u)
                          .build(),
                      valid().claimsSet(),
                      new RSASSASigner(attackerCertKey)),
                  body());
            }));
    a.add(
        c(
            "jwk header with the attacker's key, attacker kid",
            (t, clock) ->
                bearer(
                    sign(
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(attacker.getKeyID())
                            .jwk(attacker.toPublicJWK())
                            .build(),
                        valid().claimsSet(),
                        new RSASSASigner(attacker)),
                    body())));
    a.add(
        c(
            "jwk header with the attacker's key, published kid",
            (t, clock) -> {
              RSAKey same = rsa(publishedKid());
              return bearer(
                  sign(
                      new JWSHeader.Builder(JWSAlgorithm.RS256)
                          .keyID(publishedKid())
                          .jwk(same.toPublicJWK())
                          .build(),
                      valid().claimsSet(),
                      new RSASSASigner(same)),
                  body());
            }));
    a.add(
        c(
            "jwk header without kid",
            (t, clock) ->
                bearer(
                    sign(
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .jwk(attacker.toPublicJWK())
                            .build(),
                        valid().claimsSet(),
                        new RSASSASigner(attacker)),
                    body())));
    a.add(
        c(
            "x5c with the attacker's self-signed certificate, attacker kid",
            (t, clock) ->
                bearer(
                    sign(
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID("attacker-cert")
                            .x509CertChain(List.of(Base64.encode(attackerCert.getEncoded())))
                            .build(),
                        valid().claimsSet(),
                        new RSASSASigner(attackerCertKey)),
                    body())));
    a.add(
        c(
            "x5c with the attacker's certificate, published kid",
            (t, clock) ->
                bearer(
                    sign(
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(publishedKid())
                            .x509CertChain(List.of(Base64.encode(attackerCert.getEncoded())))
                            .build(),
                        valid().claimsSet(),
                        new RSASSASigner(attackerCertKey)),
                    body())));
    a.add(
        c(
            "x5c without kid",
            (t, clock) ->
                bearer(
                    sign(
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .x509CertChain(List.of(Base64.encode(attackerCert.getEncoded())))
                            .build(),
                        valid().claimsSet(),
                        new RSASSASigner(attackerCertKey)),
                    body())));
    a.add(
        c(
            "jku, x5u, jwk and x5c at once, published kid",
            (t, clock) -> {
              RSAKey same = rsa(publishedKid());
              URI jku = idp.attackerContent("all-jwks", new JWKSet(same.toPublicJWK()).toString());
              URI x5u =
                  idp.attackerContent(
                      "all-cert",
                      java.util.Base64.getMimeEncoder().encodeToString(attackerCert.getEncoded()));
              return bearer(
                  sign(
                      new JWSHeader.Builder(JWSAlgorithm.RS256)
                          .keyID(publishedKid())
                          .jwkURL(jku)
                          .x509CertURL(x5u)
                          .jwk(same.toPublicJWK())
                          .x509CertChain(List.of(Base64.encode(attackerCert.getEncoded())))
                          .build(),
                      valid().claimsSet(),
                      new RSASSASigner(same)),
                  body());
            }));

    // crit and b64 (RFC 7797), even under the real key
    a.add(
        c(
            "crit naming an unknown parameter (real key)",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        "{\"alg\":\"RS256\",\"kid\":\""
                            + publishedKid()
                            + "\",\"crit\":[\"x-beckon\"],\"x-beckon\":1}",
                        payloadWith("jti", null)),
                    body())));
    a.add(
        c(
            "crit b64 with b64:false (real key)",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        "{\"alg\":\"RS256\",\"kid\":\""
                            + publishedKid()
                            + "\",\"b64\":false,\"crit\":[\"b64\"]}",
                        payloadWith("jti", null)),
                    body())));
    a.add(
        c(
            "b64:false without crit (real key)",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        "{\"alg\":\"RS256\",\"kid\":\"" + publishedKid() + "\",\"b64\":false}",
                        payloadWith("jti", null)),
                    body())));
    a.add(
        c(
            "crit empty (real key)",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        "{\"alg\":\"RS256\",\"kid\":\"" + publishedKid() + "\",\"crit\":[]}",
                        payloadWith("jti", null)),
                    body())));
    a.add(
        c(
            "crit naming a registered parameter (real key)",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        "{\"alg\":\"RS256\",\"kid\":\"" + publishedKid() + "\",\"crit\":[\"alg\"]}",
                        payloadWith("jti", null)),
                    body())));

    // algorithm confusion
    a.add(c("alg none", (t, clock) -> bearer(valid().unsigned(), body())));
    a.add(
        c(
            "alg None (odd case) with a signature",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        "{\"alg\":\"None\",\"kid\":\"" + publishedKid() + "\"}",
                        payloadWith("jti", null)),
                    body())));
    a.add(
        c(
            "HS256 keyed with the published RSA public key (X.509 bytes)",
            (t, clock) -> bearer(valid().hs256WithPublicKey(), body())));
    a.add(
        c(
            "HS256 keyed with the published JWK JSON",
            (t, clock) ->
                bearer(
                    sign(
                        new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(publishedKid()).build(),
                        valid().claimsSet(),
                        new MACSigner(
                            idp.channelSigningKey()
                                .toPublicJWK()
                                .toJSONString()
                                .getBytes(StandardCharsets.UTF_8))),
                    body())));
    a.add(
        c(
            "HS512 keyed with the published RSA public key",
            (t, clock) ->
                bearer(
                    sign(
                        new JWSHeader.Builder(JWSAlgorithm.HS512).keyID(publishedKid()).build(),
                        valid().claimsSet(),
                        new MACSigner(idp.channelSigningKey().toRSAPublicKey().getEncoded())),
                    body())));
    a.add(
        c(
            "ES256 with the attacker's EC key under the published kid",
            (t, clock) ->
                bearer(
                    sign(
                        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(publishedKid()).build(),
                        valid().claimsSet(),
                        new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate())),
                    body())));
    a.add(
        c(
            "PS256 with the real RSA key (not an accepted algorithm)",
            (t, clock) ->
                bearer(
                    sign(
                        new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(publishedKid()).build(),
                        valid().claimsSet(),
                        new RSASSASigner(idp.channelSigningKey())),
                    body())));
    a.add(
        c(
            "RS256 forged: attacker key under the published kid",
            (t, clock) -> bearer(valid().forged().sign(), body())));
    a.add(
        c(
            "signature stripped",
            (t, clock) -> {
              String v = valid().sign();
              return bearer(v.substring(0, v.lastIndexOf('.') + 1), body());
            }));
    a.add(
        c(
            "signature spliced from another valid token",
            (t, clock) -> {
              String donor = valid().sign();
              String mine = valid().claim("aud", "another-app").sign();
              return bearer(
                  mine.substring(0, mine.lastIndexOf('.'))
                      + donor.substring(donor.lastIndexOf('.')),
                  body());
            }));
    a.add(
        c(
            "alg missing from the header",
            (t, clock) ->
                bearer(
                    realKeyRaw("{\"kid\":\"" + publishedKid() + "\"}", payloadWith("jti", null)),
                    body())));
    a.add(
        c(
            "JWE-shaped token (five parts)",
            (t, clock) -> bearer("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", body())));

    // lifetimes (real key)
    a.add(
        c(
            "exp missing",
            (t, clock) -> bearer(realKeyRaw(header(), payloadWith("exp", null)), body())));
    a.add(
        c(
            "exp in the year 9999",
            (t, clock) -> bearer(valid().lifetime(Duration.ofDays(365L * 8000)).sign(), body())));
    a.add(
        c(
            "exp 48 hours ahead (over the 24 h maximum)",
            (t, clock) -> bearer(valid().lifetime(Duration.ofDays(2)).sign(), body())));
    a.add(
        c(
            "exp 1e20",
            (t, clock) -> bearer(realKeyRaw(header(), payloadWith("exp", "1e20")), body())));
    a.add(
        c(
            "exp as a string",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        header(),
                        payloadWith("exp", "\"" + epoch(Instant.now().plusSeconds(3600)) + "\"")),
                    body())));
    a.add(
        c(
            "exp negative",
            (t, clock) -> bearer(realKeyRaw(header(), payloadWith("exp", "-1")), body())));
    a.add(
        c(
            "expired six minutes ago (beyond the 5 min skew)",
            (t, clock) ->
                bearer(
                    valid().issuedAt(Instant.now().minus(Duration.ofMinutes(66))).sign(), body())));
    a.add(
        c(
            "expired in 2020",
            (t, clock) ->
                bearer(valid().issuedAt(Instant.parse("2020-01-01T00:00:00Z")).sign(), body())));
    a.add(
        c(
            "nbf ten minutes ahead",
            (t, clock) -> bearer(valid().notBeforeOffset(Duration.ofMinutes(10)).sign(), body())));
    a.add(
        c(
            "iat one hour ahead",
            (t, clock) ->
                bearer(
                    valid()
                        .issuedAt(Instant.now().plus(Duration.ofHours(1)))
                        .notBeforeOffset(Duration.ofHours(-2))
                        .sign(),
                    body())));
    a.add(
        c(
            "iat ten minutes ahead with a normal nbf and exp",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        header(),
                        payloadWith(
                            "iat",
                            String.valueOf(epoch(Instant.now().plus(Duration.ofMinutes(10)))))),
                    body())));

    // sizes
    a.add(
        c(
            "huge token (20 KB claim, real key)",
            (t, clock) -> bearer(valid().claim("pad", "x".repeat(20_000)).sign(), body())));
    a.add(
        c(
            "huge header (13 KB parameter, real key)",
            (t, clock) -> bearer(valid().header("x-pad", "y".repeat(13_000)).sign(), body())));
    a.add(
        c(
            "two thousand claims (real key)",
            (t, clock) -> {
              FakeOpenIdServer.Token tok = valid();
              for (int i = 0; i < 2000; i++) {
                tok.claim("c" + i, i);
              }
              return bearer(tok.sign(), body());
            }));
    a.add(c("a megabyte of garbage", (t, clock) -> bearer("a".repeat(1 << 20), body())));

    // duplicated JSON keys (real key): no parser differential may choose the convenient one
    a.add(
        c(
            "duplicate aud in the payload, other app first",
            (t, clock) ->
                bearer(realKeyRaw(header(), payloadPrefixed("\"aud\":\"another-app\"")), body())));
    a.add(
        c(
            "duplicate aud in the payload, this app first",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        header(),
                        payloadWith("aud", "\"another-app\"")
                            .replace("{", "{\"aud\":\"" + APP + "\",")),
                    body())));
    a.add(
        c(
            "duplicate serviceurl in the payload",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        header(), payloadPrefixed("\"serviceurl\":\"https://attacker.example/\"")),
                    body())));
    a.add(
        c(
            "duplicate iss in the payload",
            (t, clock) ->
                bearer(
                    realKeyRaw(header(), payloadPrefixed("\"iss\":\"https://evil.example\"")),
                    body())));
    a.add(
        c(
            "duplicate exp in the payload",
            (t, clock) -> bearer(realKeyRaw(header(), payloadPrefixed("\"exp\":1")), body())));
    a.add(
        c(
            "duplicate alg in the header",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        "{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"" + publishedKid() + "\"}",
                        payloadWith("jti", null)),
                    body())));
    a.add(
        c(
            "duplicate kid in the header",
            (t, clock) ->
                bearer(
                    realKeyRaw(
                        "{\"alg\":\"RS256\",\"kid\":\"attacker-kid\",\"kid\":\""
                            + publishedKid()
                            + "\"}",
                        payloadWith("jti", null)),
                    body())));

    // issuer and audience
    a.add(
        c(
            "wrong issuer (real key)",
            (t, clock) -> bearer(valid().claim("iss", "https://evil.example").sign(), body())));
    a.add(
        c(
            "issuer with a trailing slash",
            (t, clock) ->
                bearer(valid().claim("iss", "https://api.botframework.com/").sign(), body())));
    a.add(
        c(
            "issuer in upper case",
            (t, clock) ->
                bearer(valid().claim("iss", "https://API.botframework.com").sign(), body())));
    a.add(
        c(
            "issuer missing",
            (t, clock) -> bearer(realKeyRaw(header(), payloadWith("iss", null)), body())));
    a.add(
        c(
            "Emulator issuer on a channel-signed token",
            (t, clock) ->
                bearer(
                    valid()
                        .claim("iss", FakeOpenIdServer.EMULATOR_ISSUER)
                        .claim("ver", "2.0")
                        .claim("azp", APP)
                        .sign(),
                    body())));
    a.add(
        c(
            "channel issuer on an Emulator-signed token",
            (t, clock) ->
                bearer(
                    idp.emulatorToken(APP)
                        .claim("iss", FakeOpenIdServer.CHANNEL_ISSUER)
                        .claim("serviceurl", SERVICE)
                        .sign(),
                    body())));
    a.add(
        c(
            "wrong audience",
            (t, clock) -> bearer(idp.channelToken("another-app", SERVICE).sign(), body())));
    a.add(
        c(
            "audience array [other, this]",
            (t, clock) ->
                bearer(valid().claim("aud", List.of("another-app", APP)).sign(), body())));
    a.add(
        c(
            "audience array [this, other]",
            (t, clock) ->
                bearer(valid().claim("aud", List.of(APP, "another-app")).sign(), body())));
    a.add(
        c(
            "audience array empty",
            (t, clock) -> bearer(valid().claim("aud", List.of()).sign(), body())));
    a.add(
        c(
            "audience with the letter O for the digit 0",
            (t, clock) -> bearer(valid().claim("aud", APP.replace("0", "O")).sign(), body())));
    a.add(
        c(
            "audience with a trailing space",
            (t, clock) -> bearer(valid().claim("aud", APP + " ").sign(), body())));
    a.add(
        c(
            "audience missing",
            (t, clock) -> bearer(realKeyRaw(header(), payloadWith("aud", null)), body())));
    a.add(
        c(
            "audience a number",
            (t, clock) -> bearer(realKeyRaw(header(), payloadWith("aud", "42")), body())));
    a.add(
        c(
            "audience a nested array",
            (t, clock) ->
                bearer(realKeyRaw(header(), payloadWith("aud", "[[\"" + APP + "\"]]")), body())));

    // the serviceurl claim
    a.add(
        c(
            "serviceurl for another host",
            (t, clock) ->
                bearer(idp.channelToken(APP, "https://attacker.example/").sign(), body())));
    a.add(
        c(
            "serviceurl for another region",
            (t, clock) ->
                bearer(
                    idp.channelToken(APP, "https://smba.trafficmanager.net/emea/").sign(),
                    body())));
    a.add(
        c(
            "serviceurl claim with dotless i (U+0131), activity ASCII",
            (t, clock) ->
                bearer(
                    idp.channelToken(APP, "https://smba.traff\u0131cmanager.net/amer/").sign(),
                    body())));
    a.add(
        c(
            "serviceurl claim ASCII, activity with dotless i (U+0131)",
            (t, clock) ->
                bearer(valid().sign(), bodyAt("https://smba.traff\u0131cmanager.net/amer/"))));
    a.add(
        c(
            "serviceurl claim with long s (U+017F), activity ASCII",
            (t, clock) ->
                bearer(
                    idp.channelToken(APP, "https://\u017Fmba.trafficmanager.net/amer/").sign(),
                    body())));
    a.add(
        c(
            "serviceurl claim ASCII, activity with long s (U+017F)",
            (t, clock) ->
                bearer(valid().sign(), bodyAt("https://\u017Fmba.trafficmanager.net/amer/"))));
    a.add(
        c(
            "serviceurl claim with a Kelvin sign (U+212A)",
            (t, clock) ->
                bearer(
                    idp.channelToken(APP, "https://\u212Aey.botframework.com/").sign(),
                    bodyAt("https://key.botframework.com/"))));
    a.add(
        c(
            "serviceurl claim ASCII, activity with a trailing-dot host",
            (t, clock) ->
                bearer(valid().sign(), bodyAt("https://smba.trafficmanager.net./amer/"))));
    a.add(
        c(
            "serviceurl claim with a trailing-dot host, activity ASCII",
            (t, clock) ->
                bearer(
                    idp.channelToken(APP, "https://smba.trafficmanager.net./amer/").sign(),
                    body())));
    a.add(
        c(
            "serviceurl claim and activity both with a trailing-dot host",
            (t, clock) ->
                bearer(
                    idp.channelToken(APP, "https://smba.trafficmanager.net./amer/").sign(),
                    bodyAt("https://smba.trafficmanager.net./amer/"))));
    a.add(
        c(
            "serviceurl claim and activity both with a query",
            (t, clock) ->
                bearer(idp.channelToken(APP, SERVICE + "?x=1").sign(), bodyAt(SERVICE + "?x=1"))));
    a.add(
        c(
            "serviceurl claim and activity both over plain http",
            (t, clock) ->
                bearer(
                    idp.channelToken(APP, "http://smba.trafficmanager.net/amer/").sign(),
                    bodyAt("http://smba.trafficmanager.net/amer/"))));
    a.add(
        c(
            "serviceurl claim http, activity https",
            (t, clock) ->
                bearer(
                    idp.channelToken(APP, "http://smba.trafficmanager.net/amer/").sign(), body())));
    a.add(
        c(
            "serviceurl claim with user info",
            (t, clock) ->
                bearer(
                    idp.channelToken(APP, "https://x@smba.trafficmanager.net/amer/").sign(),
                    body())));
    a.add(
        c(
            "serviceurl claim missing",
            (t, clock) -> bearer(valid().claim("serviceurl", null).sign(), body())));
    a.add(
        c(
            "serviceurl claim a number",
            (t, clock) -> bearer(valid().claim("serviceurl", 7).sign(), body())));

    // endorsements
    a.add(
        c(
            "key endorsed only for slack, activity on msteams",
            (t, clock) -> {
              idp.endorse(List.of("slack"));
              return bearer(valid().sign(), body());
            }));
    a.add(
        c(
            "channel id in another case (MSTEAMS)",
            (t, clock) -> bearer(valid().sign(), bodyOn("MSTEAMS"))));
    a.add(
        c(
            "activity on a channel the key does not endorse (replayed onto slack)",
            (t, clock) -> bearer(valid().sign(), bodyOn("slack"))));

    // key ids
    a.add(
        c(
            "unknown kid (real key)",
            (t, clock) -> bearer(valid().kid("no-such-key").sign(), body())));
    a.add(
        c(
            "kid missing (real key)",
            (t, clock) ->
                bearer(realKeyRaw("{\"alg\":\"RS256\"}", payloadWith("jti", null)), body())));
    a.add(
        c(
            "kid with control characters",
            (t, clock) -> bearer(valid().kid("x\n\u0000\u001b[31m").sign(), body())));
    a.add(
        c(
            "kid of the Emulator key set on a channel token",
            (t, clock) -> {
              String emu = idp.emulatorToken(APP).sign();
              String emuKid = com.nimbusds.jose.JWSObject.parse(emu).getHeader().getKeyID();
              return bearer(valid().kid(emuKid).sign(), body());
            }));

    // replays
    a.add(
        c(
            "replay of a valid token with another serviceUrl",
            (t, clock) -> bearer(valid().sign(), bodyAt("https://smba.trafficmanager.net/emea/"))));
    a.add(
        c(
            "replay of a valid token after it expired",
            (t, clock) -> {
              String token = valid().sign();
              clock.advance(Duration.ofHours(2));
              return bearer(token, body());
            }));
    a.add(
        c(
            "replay of a valid token at another bot's endpoint (its app id)",
            (t, clock) -> bearer(idp.channelToken("another-bot", SERVICE).sign(), body())));

    // the header itself
    a.add(c("Bearer without a token", (t, clock) -> new Attack("Bearer ", body())));
    a.add(
        c(
            "two tokens in one header",
            (t, clock) -> new Attack("Bearer " + valid().sign() + " " + valid().sign(), body())));
    a.add(c("four-part token", (t, clock) -> bearer(valid().sign() + ".AAAA", body())));
    a.add(c("token of non-base64 characters", (t, clock) -> bearer("###.$$$.%%%", body())));
    a.add(
        c(
            "header part that is not JSON",
            (t, clock) ->
                bearer(
                    Base64URL.encode("not json")
                        + "."
                        + Base64URL.encode(payloadWith("jti", null))
                        + ".AAAA",
                    body())));
    return a.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void everyAttackIsRefusedAndNothingIsStored(Scenario scenario) throws Exception {
    MutableClock clock = MutableClock.now();
    InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
    CaptureHandler handler =
        CaptureHandler.builder(repo)
            .authenticator(new InboundAuthenticator(idp.config(APP, clock)))
            .maxBodyBytes(64 * 1024)
            .build();
    int before = idp.requestedPaths().size();
    try {
      Attack attack = scenario.build(this, clock);
      CaptureHandler.Result r = handler.handle(attack.authorization(), attack.body());
      assertThat(r.status()).as(r.message()).isBetween(400, 499);
      assertThat(r.outcome())
          .isIn(
              CaptureHandler.Outcome.UNAUTHORIZED,
              CaptureHandler.Outcome.MALFORMED,
              CaptureHandler.Outcome.TOO_LARGE);
      assertThat(r.message()).doesNotContain("eyJ");
      assertThat(repo.size()).as("nothing stored").isZero();
      assertThat(idp.requestedPaths().subList(before, idp.requestedPaths().size()))
          .as("no request to the attacker's URLs")
          .noneMatch(p -> p.startsWith("/attacker/"));
    } finally {
      idp.endorse(DEFAULT_ENDORSEMENTS);
    }
  }

  @Test
  void theSuiteHasAtLeastSixtyCases() {
    assertThat(attacks().count()).isGreaterThanOrEqualTo(60);
  }

  @Test
  void theRealKeyBuildingBlocksProduceAcceptedTokens() {
    // guards the suite: the hand-written tokens above differ from an accepted one only by the
    // attack
    InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
    CaptureHandler handler =
        CaptureHandler.builder(repo)
            .authenticator(new InboundAuthenticator(idp.config(APP, MutableClock.now())))
            .build();
    assertThat(
            handler
                .handle("Bearer " + realKeyRaw(header(), payloadWith("jti", null)), body())
                .status())
        .isEqualTo(200);
    assertThat(
            handler
                .handle(
                    "Bearer " + valid().header("x-note", "fine").sign(), InboundTest.message("b"))
                .status())
        .isEqualTo(200);
    assertThat(
            handler
                .handle(
                    "Bearer " + valid().claim("aud", List.of(APP)).sign(), InboundTest.message("c"))
                .status())
        .as("a one-element audience array")
        .isEqualTo(200);
    assertThat(
            handler
                .handle(
                    "Bearer "
                        + idp.channelToken(APP, "https://SMBA.TrafficManager.net/AMER/").sign(),
                    body())
                .status())
        .as("ASCII case differences are the same endpoint")
        .isEqualTo(200);
    assertThat(repo.size()).isEqualTo(3);
  }

  /**
   * A Bot Framework token binds issuer, audience, serviceurl and lifetime (and, through the key's
   * endorsements, the channel), not the conversation or the activity: the same token, replayed
   * within its lifetime with another conversation on the same serviceUrl and channel, is valid.
   * This is the protocol, not a Beckon choice; it is why Beckon never logs tokens.
   */
  @Test
  void aValidTokenIsNotBoundToAConversation() {
    InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
    CaptureHandler handler =
        CaptureHandler.builder(repo)
            .authenticator(new InboundAuthenticator(idp.config(APP, MutableClock.now())))
            .build();
    String token = "Bearer " + valid().sign();
    assertThat(handler.handle(token, InboundTest.message("a:original")).status()).isEqualTo(200);
    assertThat(handler.handle(token, InboundTest.message("a:another")).status()).isEqualTo(200);
    assertThat(repo.find(ReferenceKey.of("msteams", "a:another"))).isPresent();
    assertThat(
            repo.find(ReferenceKey.of("msteams", "a:another"))
                .orElseThrow()
                .reference()
                .serviceUrl())
        .as("but only ever on the token's own serviceUrl")
        .isEqualTo(SERVICE);
  }
}
