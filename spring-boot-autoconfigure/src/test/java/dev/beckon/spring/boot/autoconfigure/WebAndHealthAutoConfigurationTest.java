package dev.beckon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.auth.TokenException;
import dev.beckon.auth.TokenProvider;
import dev.beckon.inbound.AuthenticationConfig;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.inbound.InboundAuthenticator;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.function.RouterFunction;

/** The endpoint's conditions (web, non-web, disabled, anonymous) and the health indicator's. */
class WebAndHealthAutoConfigurationTest {

  private static final AutoConfigurations ALL =
      AutoConfigurations.of(
          BeckonAutoConfiguration.class,
          BeckonWebAutoConfiguration.class,
          BeckonHealthAutoConfiguration.class);

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner().withConfiguration(ALL);

  private final ApplicationContextRunner plain =
      new ApplicationContextRunner().withConfiguration(ALL);

  @Test
  void aServletApplicationGetsTheValidatingEndpoint() {
    web.withPropertyValues("beckon.app-id=app-1", "beckon.password=s3cr3t-value")
        .run(
            c -> {
              assertThat(c).hasSingleBean(CaptureHandler.class);
              assertThat(c).hasSingleBean(InboundAuthenticator.class);
              assertThat(c.getBean(InboundAuthenticator.class).isAnonymous()).isFalse();
              assertThat(c.getBean(AuthenticationConfig.class).appId()).isEqualTo("app-1");
              assertThat(c).hasBean("beckonEndpoint");
              assertThat(c.getBean("beckonEndpoint")).isInstanceOf(RouterFunction.class);
            });
  }

  @Test
  void aNonWebApplicationGetsNoEndpointAndNeedsNoAppIdForIt() {
    plain
        .withPropertyValues("beckon.anonymous=true")
        .run(
            c -> {
              assertThat(c).doesNotHaveBean(CaptureHandler.class);
              assertThat(c).doesNotHaveBean("beckonEndpoint");
              assertThat(c).hasSingleBean(dev.beckon.send.Sender.class);
            });
  }

  @Test
  void theEndpointCanBeTurnedOff() {
    web.withPropertyValues("beckon.anonymous=true", "beckon.endpoint.enabled=false")
        .run(
            c -> {
              assertThat(c).doesNotHaveBean(CaptureHandler.class);
              assertThat(c).doesNotHaveBean("beckonEndpoint");
            });
  }

  @Test
  void withoutSpringMvcThereIsNoEndpoint() {
    web.withClassLoader(new FilteredClassLoader(RouterFunction.class))
        .withPropertyValues("beckon.anonymous=true")
        .run(c -> assertThat(c).doesNotHaveBean("beckonEndpoint"));
  }

  @Test
  void anonymousValidatesNothing() {
    web.withPropertyValues("beckon.anonymous=true")
        .run(
            c -> {
              assertThat(c.getBean(AuthenticationConfig.class).isAnonymous()).isTrue();
              assertThat(c.getBean(InboundAuthenticator.class).isAnonymous()).isTrue();
            });
  }

  @Test
  void anEndpointWithoutAppIdFailsAtStartupUnlessAnonymous() {
    web.withBean(
            TokenProvider.class,
            () -> () -> CompletableFuture.failedFuture(new TokenException("no", false, null)))
        .run(
            c ->
                assertThat(c)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("beckon.app-id")
                    .hasMessageContaining("beckon.anonymous=true"));
  }

  @Test
  void theUsersAuthenticationConfigWins() {
    AuthenticationConfig mine = AuthenticationConfig.usGovernment("their-app");
    web.withPropertyValues("beckon.app-id=app-1", "beckon.anonymous=false")
        .withBean(
            TokenProvider.class,
            () -> () -> CompletableFuture.failedFuture(new TokenException("no", false, null)))
        .withBean(AuthenticationConfig.class, () -> mine)
        .run(c -> assertThat(c.getBean(AuthenticationConfig.class)).isSameAs(mine));
  }

  @Test
  void aBadEndpointPathFailsAtStartup() {
    web.withPropertyValues("beckon.anonymous=true", "beckon.endpoint.path=api/messages")
        .run(
            c ->
                assertThat(c)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("beckon.endpoint.path"));
  }

  @Test
  void healthIsUpWithAReachableStoreAndSaysNoTokenIsCheckedWhenAnonymous() {
    plain
        .withPropertyValues("beckon.anonymous=true")
        .run(
            c -> {
              Health h = Health.of(c);
              assertThat(h.status()).isEqualTo("UP");
              assertThat(h.details()).containsEntry("storeStatus", "UP");
              assertThat((String) h.details().get("token")).startsWith("not checked");
            });
  }

  @Test
  void healthIsDownWhenTheTokenFailsAndTheCheckIsCachedAndShowsNoSecret() {
    AtomicInteger fetches = new AtomicInteger();
    TokenProvider failing =
        () -> {
          fetches.incrementAndGet();
          return CompletableFuture.failedFuture(
              new TokenException("invalid client secret s3cr3t-value", false, null));
        };
    plain
        .withPropertyValues("beckon.app-id=app-1", "beckon.password=s3cr3t-value")
        .withBean(TokenProvider.class, () -> failing)
        .run(
            c -> {
              Health first = Health.of(c);
              Health second = Health.of(c);
              assertThat(first.status()).isEqualTo("DOWN");
              assertThat(first.details())
                  .containsEntry("token", "DOWN")
                  .containsEntry("tokenError", "TokenException");
              assertThat(first.text()).doesNotContain("s3cr3t-value");
              assertThat(second.status()).isEqualTo("DOWN");
              assertThat(fetches).hasValue(1);
            });
  }

  @Test
  void healthIsDownWhenTheStoreFails() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:health-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    plain
        .withPropertyValues("beckon.anonymous=true") // no initialize-schema: the table is missing
        .withBean(DataSource.class, () -> ds)
        .run(
            c -> {
              assertThat(c).hasSingleBean(JdbcReferenceRepository.class);
              Health h = Health.of(c);
              assertThat(h.status()).isEqualTo("DOWN");
              assertThat(h.details())
                  .containsEntry("storeStatus", "DOWN")
                  .containsEntry("storeError", "TableMissingException");
            });
  }

  @Test
  void healthCanBeTurnedOffAndNeedsActuator() {
    plain
        .withPropertyValues("beckon.anonymous=true", "management.health.beckon.enabled=false")
        .run(c -> assertThat(c).doesNotHaveBean("beckonHealthIndicator"));
    plain
        .withPropertyValues("beckon.anonymous=true")
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.boot.actuate.health",
                "org.springframework.boot.health.contributor"))
        .run(c -> assertThat(c).doesNotHaveBean("beckonHealthIndicator"));
  }
}
