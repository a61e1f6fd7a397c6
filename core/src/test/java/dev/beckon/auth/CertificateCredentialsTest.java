package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Certificate credentials against a loopback token endpoint: the assertion, cache and errors. */
class CertificateCredentialsTest {

  private static final TestPki PKI = new TestPki();
  private static final KeyPair KEYS = TestPki.rsa(2048);
  private static final X509Certificate LEAF = PKI.leaf("CN=beckon-bot", KEYS);
  private static final ClientCertificate CERT =
      ClientCertificate.of(KEYS.getPrivate(), List.of(LEAF, PKI.ca));

  private final LoopbackTokenServer server;
  private final TestClock clock = new TestClock();

  CertificateCredentialsTest() throws Exception {
    server = new LoopbackTokenServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private ClientCredentials.Builder builder() {
    return ClientCredentials.builder("app-id", CERT).tokenEndpoint(server.uri()).clock(clock);
  }

  @Test
  void theAssertionIsSignedPs256AndNamesTheCertificateByBothThumbprints() throws Exception {
    ClientCredentials creds = builder().build();
    assertThat(creds.token().join().value()).isEqualTo("token-1");

    Map<String, String> form = server.forms.get(0);
    assertThat(form)
        .containsEntry("grant_type", "client_credentials")
        .containsEntry("client_id", "app-id")
        .containsEntry("scope", ClientCredentials.PUBLIC_SCOPE)
        .containsEntry(
            "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        .doesNotContainKey("client_secret");
    SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
    assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) KEYS.getPublic()))).isTrue();
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
    assertThat(jwt.getHeader().getX509CertSHA256Thumbprint().toString())
        .isEqualTo(thumbprint("SHA-256", LEAF));
    @SuppressWarnings("deprecation") // x5t is what older Entra endpoints read
    String x5t = jwt.getHeader().getX509CertThumbprint().toString();
    assertThat(x5t).isEqualTo(thumbprint("SHA-1", LEAF));
    assertThat(jwt.getHeader().getX509CertChain()).isNull();
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("app-id");
    assertThat(claims.getSubject()).isEqualTo("app-id");
    assertThat(claims.getAudience()).containsExactly(server.uri().toString());
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(claims.getIssueTime().toInstant())
        .isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    assertThat(claims.getExpirationTime().toInstant())
        .isEqualTo(
            clock
                .instant()
                .plus(Duration.ofMinutes(10))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  @Test
  void rs256AndTheChainOnRequest() throws Exception {
    ClientCredentials creds =
        builder()
            .assertionAlgorithm(ClientCredentials.AssertionAlgorithm.RS256)
            .sendCertificateChain()
            .build();
    creds.token().join();
    SignedJWT jwt = SignedJWT.parse(server.forms.get(0).get("client_assertion"));
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) KEYS.getPublic()))).isTrue();
    assertThat(jwt.getHeader().getX509CertChain()).hasSize(2);
    assertThat(jwt.getHeader().getX509CertChain().get(0).decode()).isEqualTo(LEAF.getEncoded());
  }

  @Test
  void assertionOptionsAreRefusedWithASecret() {
    ClientCredentials.Builder secret = ClientCredentials.builder("app-id", "s3cr3t-value");
    assertThatThrownBy(() -> secret.assertionAlgorithm(ClientCredentials.AssertionAlgorithm.RS256))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(secret::sendCertificateChain).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void everyRequestSignsAFreshAssertion() throws Exception {
    ClientCredentials creds = builder().build();
    assertThat(creds.token().join().value()).isEqualTo("token-1");
    clock.advance(Duration.ofMinutes(56));
    assertThat(creds.token().join().value()).isEqualTo("token-2");
    String first =
        SignedJWT.parse(server.forms.get(0).get("client_assertion")).getJWTClaimsSet().getJWTID();
    String second =
        SignedJWT.parse(server.forms.get(1).get("client_assertion")).getJWTClaimsSet().getJWTID();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void cachedUntilFiveMinutesBeforeExpiryAndFetchedOnceForConcurrentCallers() {
    ClientCredentials creds = builder().build();
    List<CompletableFuture<AccessToken>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(creds.token());
    }
    all.forEach(f -> assertThat(f.join().value()).isEqualTo("token-1"));
    assertThat(server.forms).hasSize(1);
    clock.advance(Duration.ofMinutes(54));
    assertThat(creds.token().join().value()).isEqualTo("token-1");
    clock.advance(Duration.ofMinutes(2));
    assertThat(creds.token().join().value()).isEqualTo("token-2");
    assertThat(server.forms).hasSize(2);
  }

  @Test
  void aRefusedCertificateSaysWhatToCheckAndIsNotRetried() {
    server.answerNext(
        LoopbackTokenServer.Answer.json(
            401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS700027\"}"));
    ClientCredentials creds = builder().build();
    assertThatThrownBy(() -> creds.token().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("invalid_client")
        .hasMessageContaining("certificate is uploaded")
        .satisfies(e -> assertThat(((TokenException) e).retryable()).isFalse());
    assertThat(server.forms).hasSize(1);
  }

  @Test
  void throttlingIsRetriedWithANewAssertion() throws Exception {
    server.answerNext(LoopbackTokenServer.Answer.json(429, "{}"));
    ClientCredentials creds = builder().build();
    assertThat(creds.token().join().value()).isEqualTo("token-1");
    assertThat(server.forms).hasSize(2);
    assertThat(server.forms.get(0).get("client_assertion"))
        .isNotEqualTo(server.forms.get(1).get("client_assertion"));
  }

  @Test
  void toStringNamesTheCertificateNeverTheKey() {
    ClientCredentials creds = builder().build();
    String keyB64 = Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded());
    assertThat(creds.toString())
        .contains("app-id")
        .contains("CN=beckon-bot")
        .contains(CERT.sha256Thumbprint())
        .contains("key=***")
        .doesNotContain(keyB64.substring(40, 80));
    assertThat(CERT.toString()).contains("CN=beckon-bot").contains("key=***");
  }

  static String thumbprint(String alg, X509Certificate c) throws Exception {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(MessageDigest.getInstance(alg).digest(c.getEncoded()));
  }

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-01T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
