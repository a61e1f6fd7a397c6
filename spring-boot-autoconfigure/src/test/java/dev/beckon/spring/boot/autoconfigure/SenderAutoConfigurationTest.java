package dev.beckon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.beckon.activity.Activity;
import dev.beckon.auth.AccessToken;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.TokenProvider;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.spring.boot.BeckonDecorator;
import dev.beckon.spring.boot.BeckonProperties;
import dev.beckon.spring.boot.BroadcastFactory;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Token provider, sender and decorators: from properties, from the user's beans, and refused. */
class SenderAutoConfigurationTest {

  private static FakeConnector connector;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(BeckonAutoConfiguration.class));

  @BeforeAll
  static void start() {
    connector = FakeConnector.start();
  }

  @AfterAll
  static void stop() {
    connector.close();
  }

  private static ConversationReference atConnector(String conversation) {
    return SampleReferences.reference("msteams", conversation, "tenant-1")
        .withServiceUrl(connector.serviceUrl());
  }

  @Test
  void appIdAndPasswordGiveClientCredentialsWithTheTenantAndCloud() {
    runner
        .withPropertyValues(
            "beckon.app-id=app-1",
            "beckon.password=s3cr3t-value",
            "beckon.tenant=tenant-42",
            "beckon.cloud=us-gov")
        .run(
            c -> {
              assertThat(c).hasSingleBean(TokenProvider.class);
              String described = c.getBean(ClientCredentials.class).toString();
              assertThat(described)
                  .contains("login.microsoftonline.us/tenant-42")
                  .contains("api.botframework.us")
                  .doesNotContain("s3cr3t-value");
              assertThat(c.getBean(BeckonProperties.class).toString())
                  .doesNotContain("s3cr3t-value");
              assertThat(c).hasSingleBean(BotConnectorSender.class);
            });
  }

  @Test
  void aPasswordWithoutAppIdFailsAtStartup() {
    runner
        .withPropertyValues("beckon.password=s3cr3t-value")
        .run(
            c ->
                assertThat(c)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("beckon.app-id")
                    .hasMessageNotContaining("s3cr3t-value"));
  }

  @Test
  void withoutCredentialsNorAnonymousTheSenderRefusesToStartAndSaysWhatToSet() {
    runner.run(
        c ->
            assertThat(c)
                .getFailure()
                .rootCause()
                .hasMessageContaining("beckon.password")
                .hasMessageContaining("TokenProvider")
                .hasMessageContaining("beckon.anonymous=true"));
  }

  @Test
  void anUnknownCloudFailsNamingTheProperty() {
    runner
        .withPropertyValues("beckon.anonymous=true", "beckon.cloud=mars")
        .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("beckon.cloud"));
  }

  @Test
  void theUsersTokenProviderWinsOverThePassword() {
    TokenProvider mine = () -> CompletableFuture.completedFuture(new AccessToken("t", Instant.MAX));
    runner
        .withBean(TokenProvider.class, () -> mine)
        .withPropertyValues("beckon.app-id=app-1", "beckon.password=s3cr3t-value")
        .run(
            c -> {
              assertThat(c).hasSingleBean(TokenProvider.class);
              assertThat(c.getBean(TokenProvider.class)).isSameAs(mine);
              assertThat(c).hasSingleBean(BotConnectorSender.class);
            });
  }

  @Test
  void theUsersSenderWins() {
    runner
        .withPropertyValues("beckon.anonymous=true")
        .withBean("mySender", Sender.class, () -> BotConnectorSender.builder().anonymous().build())
        .run(
            c -> {
              assertThat(c).hasSingleBean(Sender.class);
              assertThat(c.getBean(BroadcastFactory.class).sender())
                  .isSameAs(c.getBean("mySender"));
            });
  }

  @Test
  void anonymousSendsWithoutATokenAndTheSenderIsClosedWithTheContext() {
    AtomicReference<Sender> kept = new AtomicReference<>();
    runner
        .withPropertyValues("beckon.anonymous=true")
        .run(
            c -> {
              assertThat(c).doesNotHaveBean(TokenProvider.class);
              Sender sender = c.getBean(Sender.class);
              kept.set(sender);
              SendOutcome o = sender.send(atConnector("a:open"), Activity.message("hello"));
              assertThat(o.kind()).isEqualTo(SendOutcome.Kind.DELIVERED);
            });
    // a closed sender refuses the send (today by throwing RejectedExecutionException from its
    // closed scheduler, or with a FAILED outcome); it must not deliver
    AtomicReference<SendOutcome> outcome = new AtomicReference<>();
    Throwable refused =
        catchThrowable(
            () -> outcome.set(kept.get().send(atConnector("a:closed"), Activity.message("late"))));
    if (refused == null) {
      assertThat(outcome.get().kind()).isNotEqualTo(SendOutcome.Kind.DELIVERED);
    } else {
      assertThat(refused).isInstanceOf(RejectedExecutionException.class);
    }
    assertThat(connector.activities("a:closed")).isEmpty();
  }

  @Test
  void decoratorsWrapTheSenderRepositoryAndTokenProviderBeans() {
    List<String> decorated = new ArrayList<>();
    BeckonDecorator recording =
        new BeckonDecorator() {
          @Override
          public Sender sender(Sender s) {
            decorated.add("sender");
            return new Sender() {
              @Override
              public CompletableFuture<SendOutcome> sendAsync(
                  ConversationReference to, Activity activity) {
                return s.sendAsync(to, activity);
              }

              @Override
              public CompletableFuture<SendOutcome> replyAsync(
                  ConversationReference to, String replyToId, Activity activity) {
                return s.replyAsync(to, replyToId, activity);
              }

              @Override
              public CompletableFuture<SendOutcome> updateAsync(
                  ConversationReference to, String activityId, Activity activity) {
                return s.updateAsync(to, activityId, activity);
              }

              @Override
              public CompletableFuture<SendOutcome> deleteAsync(
                  ConversationReference to, String activityId) {
                return s.deleteAsync(to, activityId);
              }

              @Override
              public CompletableFuture<SendOutcome> createConversationAsync(
                  ConversationReference from, dev.beckon.send.ConversationParameters parameters) {
                return s.createConversationAsync(from, parameters);
              }
            };
          }

          @Override
          public ReferenceRepository repository(ReferenceRepository r) {
            decorated.add("repository");
            return r;
          }

          @Override
          public TokenProvider tokenProvider(TokenProvider t) {
            decorated.add("tokens");
            return t;
          }
        };
    runner
        .withPropertyValues("beckon.app-id=app-1", "beckon.password=s3cr3t-value")
        .withBean(BeckonDecorator.class, () -> recording)
        .run(
            c -> {
              assertThat(c.getBean(Sender.class)).isNotInstanceOf(BotConnectorSender.class);
              assertThat(c.getBean(BroadcastFactory.class).sender())
                  .isSameAs(c.getBean(Sender.class));
              assertThat(decorated).containsExactlyInAnyOrder("sender", "repository", "tokens");
            });
  }
}
