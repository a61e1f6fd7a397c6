package dev.beckon.auth.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.beckon.auth.AccessToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flows that reach an Entra token endpoint (workload identity, federation, certificate), each
 * against a loopback endpoint behind TLS with a test CA, instance discovery off: no Microsoft host
 * is ever reached.
 */
class EntraTokenEndpointFlowsTest {

  private static final String TENANT = "00000000-0000-0000-0000-0000000000aa";
  private static final String APP = "11111111-1111-1111-1111-1111111111bb";
  private static final TestTls TLS = new TestTls();

  private final AtomicInteger issued = new AtomicInteger();
  private final LoopbackHttp entra;

  @TempDir Path dir;

  EntraTokenEndpointFlowsTest() throws Exception {
    entra =
        new LoopbackHttp(
            TLS.serverContext(),
            r -> {
              if (r.method().equals("POST")
                  && r.path().equals("/" + TENANT + "/oauth2/v2.0/token")) {
                return new LoopbackHttp.Response(
                    200,
                    "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                        + "\"access_token\":\"entra-token-"
                        + issued.incrementAndGet()
                        + "\"}");
              }
              return new LoopbackHttp.Response(404, "{\"error\":\"not_found\"}");
            });
  }

  @AfterEach
  void stop() throws Exception {
    entra.close();
  }

  private String authority() {
    return "https://127.0.0.1:" + entra.port();
  }

  // the client trusts the test CA only: a real Microsoft host would not even pass TLS
  private static HttpClient tlsClient() {
    return new JdkHttpClientBuilder(
            java.net.http.HttpClient.newBuilder().sslContext(TLS.clientContext()))
        .build();
  }

  private LoopbackHttp.Request onlyTokenRequest() {
    assertThat(entra.requests)
        .as("every request went to the token endpoint: %s", entra.requests)
        .hasSize(1);
    LoopbackHttp.Request r = entra.requests.get(0);
    assertThat(r.path()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
    return r;
  }

  @Test
  void workloadIdentityOnAksReadsTheFederatedTokenFileFromConfiguration() throws Exception {
    Path tokenFile = dir.resolve("azure-identity-token");
    Files.writeString(tokenFile, "kubernetes-service-account-jwt");
    // the AKS webhook's variables, through a Configuration: the process environment is untouched
    Configuration config =
        new ConfigurationBuilder(
                path -> Map.of(),
                path -> Map.of(),
                path ->
                    Map.of(
                        "AZURE_TENANT_ID",
                        TENANT,
                        "AZURE_CLIENT_ID",
                        APP,
                        "AZURE_FEDERATED_TOKEN_FILE",
                        tokenFile.toString(),
                        "AZURE_AUTHORITY_HOST",
                        authority()))
            .build();
    AzureIdentityTokenProvider provider =
        AzureIdentityTokenProvider.of(
            new WorkloadIdentityCredentialBuilder()
                .configuration(config)
                .authorityHost(authority())
                .disableInstanceDiscovery()
                .httpClient(tlsClient())
                .build());

    AccessToken t = provider.token().join();
    assertThat(t.value()).isEqualTo("entra-token-1");
    assertThat(t.expiresAt()).isAfter(Instant.now().plusSeconds(3000));
    Map<String, String> form = onlyTokenRequest().form();
    assertThat(form)
        .containsEntry("grant_type", "client_credentials")
        .containsEntry("client_id", APP)
        .containsEntry("client_assertion", "kubernetes-service-account-jwt")
        .containsEntry(
            "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    assertThat(form.get("scope")).contains("https://api.botframework.com/.default");
    assertThat(provider.token().join().value()).as("cached").isEqualTo("entra-token-1");
    assertThat(entra.requests).hasSize(1);
  }

  @Test
  void federationFromAnotherCloudsOidcTokenThroughAnAssertionSupplier() {
    AtomicInteger asked = new AtomicInteger();
    AzureIdentityTokenProvider provider =
        AzureIdentityTokenProvider.builder(
                new ClientAssertionCredentialBuilder()
                    .tenantId(TENANT)
                    .clientId(APP)
                    // e.g. AWS STS GetWebIdentityToken, GCP's metadata identity token, GitHub OIDC
                    .clientAssertion(() -> "aws-web-identity-jwt-" + asked.incrementAndGet())
                    .authorityHost(authority())
                    .disableInstanceDiscovery()
                    .httpClient(tlsClient())
                    .build())
            .scope("https://api.botframework.us/.default")
            .build();

    assertThat(provider.token().join().value()).isEqualTo("entra-token-1");
    Map<String, String> form = onlyTokenRequest().form();
    assertThat(form)
        .containsEntry("client_id", APP)
        .containsEntry("client_assertion", "aws-web-identity-jwt-" + asked.get());
    assertThat(asked).as("the supplier is asked for a fresh token").hasPositiveValue();
    assertThat(form.get("scope")).contains("https://api.botframework.us/.default");
  }

  @Test
  void aCertificateThroughAzureIdentitySignsAnAssertionTheEndpointCanVerify() throws Exception {
    KeyPair keys = TestTls.rsa();
    X509Certificate cert = TLS.issue("CN=beckon-bot", keys.getPublic(), false, false);
    Path pem = dir.resolve("bot.pem");
    Files.writeString(
        pem,
        TestTls.pem("PRIVATE KEY", keys.getPrivate().getEncoded())
            + TestTls.pem("CERTIFICATE", cert.getEncoded()));
    AzureIdentityTokenProvider provider =
        AzureIdentityTokenProvider.of(
            new ClientCertificateCredentialBuilder()
                .tenantId(TENANT)
                .clientId(APP)
                .pemCertificate(pem.toString())
                .authorityHost(authority())
                .disableInstanceDiscovery()
                .httpClient(tlsClient())
                .build());

    assertThat(provider.token().join().value()).isEqualTo("entra-token-1");
    Map<String, String> form = onlyTokenRequest().form();
    SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
    assertThat(assertion.verify(new RSASSAVerifier((RSAPublicKey) keys.getPublic()))).isTrue();
    assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo(APP);
    assertThat(assertion.getJWTClaimsSet().getAudience().get(0)).startsWith(authority());
  }
}
