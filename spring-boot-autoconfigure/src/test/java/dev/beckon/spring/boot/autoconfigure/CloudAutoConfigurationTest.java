package dev.beckon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.Cloud;
import dev.beckon.inbound.AuthenticationConfig;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.testkit.SampleReferences;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * {@code beckon.cloud} as core's Cloud: the token's authority and scope, the sender's trusted hosts
 * and the inbound validation switch together, as {@code AuthenticationConfig.forCloud} and {@code
 * ClientCredentials.Builder.cloud} do in core; a Cloud bean of the application's is a custom cloud.
 * No request leaves the process: only untrusted hosts are sent to, and they are refused before.
 */
class CloudAutoConfigurationTest {

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  BeckonAutoConfiguration.class, BeckonWebAutoConfiguration.class))
          .withPropertyValues("beckon.app-id=app-1", "beckon.password=s3cr3t-value");

  private static ConversationReference at(String serviceUrl) {
    return SampleReferences.reference("msteams", "a:cloud", "tenant-1").withServiceUrl(serviceUrl);
  }

  @ParameterizedTest
  @CsvSource({
    "public, public",
    "PUBLIC, public",
    "us-gov, us-gov",
    "US_GOV, us-gov",
    "gcc-high, us-gov",
    "us-dod, us-dod",
    "dod, us-dod",
    "china, china"
  })
  void eachPresetSwitchesTokenSenderAndInboundTogether(String property, String cloudName) {
    Cloud cloud = Cloud.named(cloudName);
    web.withPropertyValues("beckon.cloud=" + property)
        .run(
            c -> {
              ClientCredentials creds = c.getBean(ClientCredentials.class);
              assertThat(creds.cloud()).isEqualTo(cloud);
              assertThat(creds.scope()).isEqualTo(cloud.scope());
              assertThat(creds.toString()).contains(cloud.loginEndpoint().getHost());
              assertThat(c.getBean(AuthenticationConfig.class))
                  .isEqualTo(AuthenticationConfig.forCloud(cloud, "app-1"));
              // a host of another cloud is not trusted: refused before any request is made
              String foreign =
                  cloud.equals(Cloud.PUBLIC)
                      ? "https://smba.infra.gov.teams.microsoft.us/teams/"
                      : "https://smba.trafficmanager.net/teams/";
              SendOutcome o = c.getBean(Sender.class).send(at(foreign), Activity.message("x"));
              assertThat(o.kind()).isEqualTo(SendOutcome.Kind.REJECTED);
              assertThat(o.status()).isZero();
            });
  }

  @Test
  void usGovTrustsItsOwnHostsAndTheConfiguredOnesOnly() {
    web.withPropertyValues("beckon.cloud=us-gov", "beckon.trusted-hosts=*.bots.example")
        .run(
            c -> {
              Sender sender = c.getBean(Sender.class);
              for (String untrusted :
                  List.of(
                      "https://smba.trafficmanager.net/teams/",
                      "https://europe.webchat.botframework.com/",
                      "https://smba.evil.example/")) {
                assertThat(sender.send(at(untrusted), Activity.message("x")).kind())
                    .as(untrusted)
                    .isEqualTo(SendOutcome.Kind.REJECTED);
              }
            });
  }

  @Test
  void theApplicationsCloudBeanIsACustomCloudForAllThree() {
    Cloud mine =
        Cloud.PUBLIC
            .withLoginEndpoint(URI.create("http://127.0.0.1:9"))
            .withTrustedHosts(List.of("*.connector.example"));
    web.withPropertyValues("beckon.cloud=custom")
        .withBean(Cloud.class, () -> mine)
        .run(
            c -> {
              ClientCredentials creds = c.getBean(ClientCredentials.class);
              assertThat(creds.cloud()).isEqualTo(mine);
              assertThat(creds.toString()).contains("http://127.0.0.1:9/botframework.com");
              assertThat(c.getBean(AuthenticationConfig.class))
                  .isEqualTo(AuthenticationConfig.forCloud(mine, "app-1"));
            });
  }

  @Test
  void customWithoutACloudBeanFailsNamingWhatIsMissing() {
    web.withPropertyValues("beckon.cloud=custom")
        .run(
            c ->
                assertThat(c)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("beckon.cloud=custom")
                    .hasMessageContaining("Cloud bean"));
  }

  @Test
  void credentialsOfAnotherCloudAreRefusedAtStartup() {
    ClientCredentials publicCreds = ClientCredentials.builder("app-1", "s3cr3t-value").build();
    web.withPropertyValues("beckon.cloud=us-gov")
        .withBean(ClientCredentials.class, () -> publicCreds)
        .run(
            c ->
                assertThat(c)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("scope")
                    .hasMessageNotContaining("s3cr3t-value"));
  }
}
