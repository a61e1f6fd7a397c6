package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The cloud presets, a custom cloud's validation, and what the credentials take from a cloud. */
class CloudTest {

  static final String TENANT = "8e2f3c1a-0b4d-4c6e-9f10-123456789abc";

  private final LoopbackTokenServer server;

  CloudTest() throws java.io.IOException {
    server = new LoopbackTokenServer();
  }

  @AfterEach
  void stop() throws java.io.IOException {
    server.close();
  }

  static java.util.stream.Stream<Cloud> clouds() {
    return java.util.stream.Stream.of(Cloud.PUBLIC, Cloud.US_GOV, Cloud.US_DOD, Cloud.CHINA);
  }

  @Test
  void thePresetsHoldTheProtocolsValues() {
    assertThat(Cloud.PUBLIC.tokenEndpoint(null))
        .hasToString("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token");
    assertThat(Cloud.PUBLIC.scope()).isEqualTo("https://api.botframework.com/.default");
    assertThat(Cloud.PUBLIC.trustedHosts())
        .containsExactly("*.botframework.com", "smba.trafficmanager.net", "*.teams.microsoft.com");
    assertThat(Cloud.PUBLIC.teamsServiceUrl())
        .hasToString("https://smba.trafficmanager.net/teams/");
    assertThat(Cloud.PUBLIC.entraV1Issuer(TENANT))
        .isEqualTo("https://sts.windows.net/" + TENANT + "/");
    assertThat(Cloud.PUBLIC.entraV2Issuer(TENANT))
        .isEqualTo("https://login.microsoftonline.com/" + TENANT + "/v2.0");
    assertThat(Cloud.PUBLIC.entraV2OpenIdMetadata(TENANT))
        .hasToString(
            "https://login.microsoftonline.com/"
                + TENANT
                + "/v2.0/.well-known/openid-configuration");
    assertThat(Cloud.PUBLIC.entraV1OpenIdMetadata(TENANT))
        .hasToString(
            "https://login.microsoftonline.com/" + TENANT + "/.well-known/openid-configuration");

    assertThat(Cloud.US_GOV.tokenEndpoint(null))
        .hasToString(ClientCredentials.GOV_AUTHORITY + "/oauth2/v2.0/token");
    assertThat(Cloud.US_GOV.scope()).isEqualTo(ClientCredentials.GOV_SCOPE);
    assertThat(Cloud.US_GOV.channelIssuer()).isEqualTo("https://api.botframework.us");
    assertThat(Cloud.US_GOV.channelOpenIdMetadata())
        .hasToString("https://login.botframework.azure.us/v1/.well-known/openidconfiguration");
    assertThat(Cloud.US_GOV.trustedHosts())
        .containsExactly("*.botframework.us", "*.botframework.azure.us", "*.teams.microsoft.us");
    assertThat(Cloud.US_GOV.teamsServiceUrl())
        .hasToString("https://smba.infra.gov.teams.microsoft.us/teams");
    assertThat(Cloud.US_GOV.entraV2Issuer(TENANT))
        .isEqualTo("https://login.microsoftonline.us/" + TENANT + "/v2.0");

    assertThat(Cloud.US_DOD.teamsServiceUrl())
        .hasToString("https://smba.infra.dod.teams.microsoft.us/teams");
    assertThat(Cloud.US_DOD.scope()).isEqualTo(Cloud.US_GOV.scope());

    assertThat(Cloud.CHINA.tokenEndpoint(TENANT))
        .hasToString("https://login.partner.microsoftonline.cn/" + TENANT + "/oauth2/v2.0/token");
    assertThat(Cloud.CHINA.scope()).isEqualTo("https://api.botframework.azure.cn/.default");
    assertThat(Cloud.CHINA.channelIssuer()).isEqualTo("https://api.botframework.azure.cn");
    assertThat(Cloud.CHINA.trustedHosts()).containsExactly("*.botframework.azure.cn");
    assertThat(Cloud.CHINA.entraV1Issuer(TENANT))
        .isEqualTo("https://sts.chinacloudapi.cn/" + TENANT + "/");
    assertThat(Cloud.CHINA.teamsServiceUrl()).isNull();
  }

  @Test
  void theOldTrustPresetsAreTheClouds() {
    assertThat(TrustPolicy.publicCloud()).isEqualTo(TrustPolicy.of(Cloud.PUBLIC));
    assertThat(TrustPolicy.china()).isEqualTo(TrustPolicy.of(Cloud.CHINA));
    assertThat(TrustPolicy.usGovernment().trustedHosts())
        .as("kept as it was: the government hosts and the public ones")
        .containsAll(Cloud.US_GOV.trustedHosts())
        .containsAll(Cloud.PUBLIC.trustedHosts());
  }

  @ParameterizedTest
  @MethodSource("clouds")
  void noCloudTrustsAHostAnyAzureCustomerCanCreate(Cloud cloud) {
    TrustPolicy trust = cloud.trustPolicy();
    for (String host :
        List.of(
            "https://evil.trafficmanager.net/",
            "https://smba.trafficmanager.net.evil.example/",
            "https://evil.azurewebsites.net/",
            "https://botframework.com.evil.example/")) {
      assertThat(trust.refusal(host, false)).as(host).isNotNull();
    }
    if (cloud.teamsServiceUrl() != null) {
      assertThat(trust.refusal(cloud.teamsServiceUrl().toString(), false))
          .as("its own Teams service URL is trusted")
          .isNull();
    }
  }

  @Test
  void theCloudsTrustOnlyTheirOwnHosts() {
    String gov = "https://smba.infra.gov.teams.microsoft.us/teams";
    String pub = "https://smba.trafficmanager.net/teams/";
    String cn = "https://api.botframework.azure.cn/";
    assertThat(TrustPolicy.of(Cloud.PUBLIC).refusal(gov, false)).isNotNull();
    assertThat(TrustPolicy.of(Cloud.PUBLIC).refusal(cn, false)).isNotNull();
    assertThat(TrustPolicy.of(Cloud.US_GOV).refusal(pub, false)).isNotNull();
    assertThat(TrustPolicy.of(Cloud.US_DOD).refusal(cn, false)).isNotNull();
    assertThat(TrustPolicy.of(Cloud.CHINA).refusal(pub, false)).isNotNull();
    assertThat(TrustPolicy.of(Cloud.CHINA).refusal(gov, false)).isNotNull();
    assertThat(TrustPolicy.of(Cloud.CHINA).refusal(cn, false)).isNull();
  }

  @Test
  void presetsAreNamed() {
    assertThat(Cloud.named("PUBLIC")).isSameAs(Cloud.PUBLIC);
    assertThat(Cloud.named("gcc-high")).isSameAs(Cloud.US_GOV);
    assertThat(Cloud.named("us-gov")).isSameAs(Cloud.US_GOV);
    assertThat(Cloud.named("dod")).isSameAs(Cloud.US_DOD);
    assertThat(Cloud.named("china")).isSameAs(Cloud.CHINA);
    assertThatThrownBy(() -> Cloud.named("gcc\u0000" + "x".repeat(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("public, us-gov")
        .message()
        .hasSizeLessThan(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://login.example",
        "https://login.example/path",
        "https://user@login.example",
        "https://login.example?x=1",
        "ftp://127.0.0.1",
        "http://127.evil.example"
      })
  void aCustomCloudsHostsAreHttpsOrLoopback(String login) {
    assertThatThrownBy(() -> Cloud.PUBLIC.withLoginEndpoint(URI.create(login)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCustomCloudIsValidated() {
    assertThat(
            Cloud.PUBLIC.withLoginEndpoint(URI.create("http://127.0.0.1:8080")).tokenEndpoint(null))
        .hasToString("http://127.0.0.1:8080/botframework.com/oauth2/v2.0/token");
    assertThat(Cloud.PUBLIC.withTrustedHosts(List.of("Connector.Example")).trustedHosts())
        .endsWith("connector.example");
    assertThatThrownBy(() -> Cloud.PUBLIC.withTrustedHosts(List.of("https://x.example/")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Cloud(
                    "x",
                    Cloud.PUBLIC.loginEndpoint(),
                    "../evil",
                    "s",
                    "i",
                    Cloud.PUBLIC.channelOpenIdMetadata(),
                    Cloud.PUBLIC.entraV1IssuerHost(),
                    List.of(),
                    null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Cloud(
                    "x",
                    Cloud.PUBLIC.loginEndpoint(),
                    "botframework.com",
                    "s",
                    "i",
                    Cloud.PUBLIC.channelOpenIdMetadata(),
                    Cloud.PUBLIC.entraV1IssuerHost(),
                    List.of(),
                    URI.create("https://smba.example/teams?x=1")))
        .as("a Teams service URL follows the serviceUrl rule")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../botframework.com", "a/b", "tenant?x", "tenant#x", "", " ", "a..b"})
  void aTenantCannotChangeTheTokenUrlsPath(String tenant) {
    assertThatThrownBy(() -> ClientCredentials.builder("app", "secret").tenant(tenant))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "common",
        "organizations",
        "consumers",
        "contoso.onmicrosoft.com",
        "8E2F3C1A-0B4D-4C6E-9F10-123456789ABC",
        "8e2f3c1a-0b4d-4c6e-9f10-123456789abc/../x"
      })
  void entraIssuersAreForOneTenantIdOnly(String tenant) {
    assertThat(Cloud.isTenantId(tenant)).isFalse();
    assertThatThrownBy(() -> Cloud.PUBLIC.entraV2Issuer(tenant))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cloud.PUBLIC.entraV1OpenIdMetadata(tenant))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @MethodSource("clouds")
  void credentialsAskTheCloudsTokenHostForTheCloudsScope(Cloud cloud) throws Exception {
    ClientCredentials single =
        ClientCredentials.builder("app", "secret").tenant(TENANT).cloud(cloud).build();
    assertThat(single.tokenEndpoint())
        .as("tenant before cloud: the order does not matter")
        .isEqualTo(cloud.tokenEndpoint(TENANT));
    assertThat(single.scope()).isEqualTo(cloud.scope());
    assertThat(single.cloud()).isEqualTo(cloud);
    ClientCredentials multi = ClientCredentials.builder("app", "secret").cloud(cloud).build();
    assertThat(multi.tokenEndpoint()).isEqualTo(cloud.tokenEndpoint(null));

    ClientCredentials onLoopback =
        ClientCredentials.builder("app", "secret").cloud(cloud).tokenEndpoint(server.uri()).build();
    onLoopback.token().get(10, TimeUnit.SECONDS);
    Map<String, String> form = server.forms.get(0);
    assertThat(form).containsEntry("scope", cloud.scope()).containsEntry("client_id", "app");
  }

  @Test
  void usGovernmentIsTheGovernmentCloud() {
    ClientCredentials gov =
        ClientCredentials.builder("app", "secret").usGovernment().tenant(TENANT).build();
    assertThat(gov.tokenEndpoint()).isEqualTo(Cloud.US_GOV.tokenEndpoint(TENANT));
    assertThat(gov.scope()).isEqualTo(ClientCredentials.GOV_SCOPE);
    assertThat(ClientCredentials.builder("app", "secret").usGovernment().build().tokenEndpoint())
        .hasToString(ClientCredentials.GOV_AUTHORITY + "/oauth2/v2.0/token");
    assertThat(
            ClientCredentials.builder("app", "secret")
                .cloud(Cloud.CHINA)
                .scope("api://custom/.default")
                .build()
                .scope())
        .as("an explicit scope wins")
        .isEqualTo("api://custom/.default");
  }
}
