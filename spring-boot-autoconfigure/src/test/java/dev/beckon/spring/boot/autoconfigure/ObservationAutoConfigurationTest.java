package dev.beckon.spring.boot.autoconfigure;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.auth.AccessToken;
import dev.beckon.auth.TokenProvider;
import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.broadcast.BroadcastOutcome;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.micrometer.BeckonObservations;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.spring.boot.BeckonDecorator;
import dev.beckon.spring.boot.BroadcastFactory;
import dev.beckon.store.ListQuery;
import dev.beckon.store.PurgeableRepository;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The observation auto-configuration on the Micrometer of the Boot line under test (1.15 with Boot
 * 3.5, 1.16 with Boot 4.0): decorated beans and the names and keys they record, with each registry,
 * with none, with the user's own BeckonObservations, with the properties, and after Boot's own
 * observation and metrics auto-configurations.
 */
class ObservationAutoConfigurationTest {

  private static final String TOKEN = "tok-" + UUID.randomUUID();
  private static FakeConnector connector;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  BeckonAutoConfiguration.class, BeckonObservationAutoConfiguration.class))
          .withPropertyValues("beckon.trusted-hosts=127.0.0.1")
          .withBean(
              TokenProvider.class,
              () -> () -> CompletableFuture.completedFuture(new AccessToken(TOKEN, Instant.MAX)));

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

  /** An observation registry that records (TestObservationRegistry) and times into meters. */
  private static TestObservationRegistry observing(MeterRegistry meters) {
    TestObservationRegistry observations = TestObservationRegistry.create();
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    return observations;
  }

  @Test
  void withBothRegistriesSendsStoreCallsTokensRetriesAndBroadcastsAreObserved() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    TestObservationRegistry observations = observing(meters);
    String conversation = "a:" + UUID.randomUUID();
    runner
        .withBean(ObservationRegistry.class, () -> observations)
        .withBean(MeterRegistry.class, () -> meters)
        .run(
            c -> {
              assertThat(c).hasSingleBean(BeckonObservations.class);
              BeckonObservations beckon = c.getBean(BeckonObservations.class);
              assertThat(beckon.observationRegistry()).isSameAs(observations);
              assertThat(beckon.meterRegistry()).containsSame(meters);
              Sender sender = c.getBean(Sender.class);
              assertThat(sender).isNotInstanceOf(BotConnectorSender.class);
              ReferenceRepository repository = c.getBean(ReferenceRepository.class);
              assertThat(repository)
                  .isNotInstanceOf(InMemoryReferenceRepository.class)
                  .isInstanceOf(PurgeableRepository.class); // the overload kept purgeability

              // a 503 first: the auto-configured sender's strategy carries the retry listener
              connector.failNext(
                  conversation, FakeConnector.Fault.error(503, "ServiceUnavailable"));
              SendOutcome sent = sender.send(atConnector(conversation), Activity.message("hi"));
              assertThat(sent.kind()).isEqualTo(SendOutcome.Kind.DELIVERED);
              assertThat(repository.find(ReferenceKey.of("msteams", "a:nobody"))).isEmpty();

              assertThat(observations)
                  .hasObservationWithNameEqualTo("beckon.send")
                  .that()
                  .hasContextualNameEqualTo("beckon.send_activity")
                  .hasLowCardinalityKeyValue("beckon.operation", "send_activity")
                  .hasLowCardinalityKeyValue("beckon.outcome", "DELIVERED")
                  .hasLowCardinalityKeyValue("beckon.status.class", "2xx")
                  .hasLowCardinalityKeyValue("activity.channel_id", "msteams")
                  .hasLowCardinalityKeyValue("activity.type", "message")
                  .doesNotHaveHighCardinalityKeyValueWithKey("activity.conversation_id")
                  .hasBeenStopped();
              assertThat(observations)
                  .hasObservationWithNameEqualTo("beckon.store")
                  .that()
                  .hasContextualNameEqualTo("beckon.store.find")
                  .hasLowCardinalityKeyValue("beckon.operation", "find")
                  .hasLowCardinalityKeyValue("beckon.store", "memory")
                  .hasLowCardinalityKeyValue("beckon.outcome", "absent");
              // the token bean was decorated before the sender got it: the request is the send's
              assertThat(observations)
                  .hasObservationWithNameEqualTo("beckon.token")
                  .that()
                  .hasLowCardinalityKeyValue("beckon.outcome", "success")
                  .hasParentObservationContextMatching(
                      parent -> parent.getName().equals("beckon.send"));

              Timer timer =
                  meters
                      .find("beckon.send")
                      .tag("beckon.operation", "send_activity")
                      .tag("beckon.outcome", "DELIVERED")
                      .timer();
              assertThat(timer).isNotNull();
              assertThat(timer.count()).isEqualTo(1);
              assertThat(
                      meters
                          .get("beckon.retries")
                          .tag("beckon.operation", "send")
                          .tag("beckon.retry.cause", "TRANSIENT")
                          .counter()
                          .count())
                  .isEqualTo(1.0);

              // a broadcast of the factory: meters under its name, the user's listener after them
              repository.save(atConnector("a:" + UUID.randomUUID()));
              Queue<BroadcastOutcome> mine = new ConcurrentLinkedQueue<>();
              BroadcastReport report =
                  c.getBean(BroadcastFactory.class)
                      .builder(
                          "release-notes",
                          new BroadcastListener() {
                            @Override
                            public void onOutcome(BroadcastOutcome outcome) {
                              mine.add(outcome);
                            }
                          })
                      .query(ListQuery.channel("msteams"))
                      .message(Activity.message("release notes"))
                      .build()
                      .start()
                      .join();
              assertThat(report.delivered()).isEqualTo(1);
              assertThat(mine).hasSize(1);
              assertThat(
                      meters
                          .get("beckon.broadcast.outcomes")
                          .tag("beckon.broadcast", "release-notes")
                          .tag("beckon.outcome", "DELIVERED")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
              assertThat(meters.find("beckon.broadcast.sent").gauges()).isNotEmpty();
              // the broadcast sends through the observed sender's withoutRetries(): observed too
              assertThat(
                      meters
                          .find("beckon.send")
                          .tag("beckon.outcome", "DELIVERED")
                          .timers()
                          .stream()
                          .mapToLong(Timer::count)
                          .sum())
                  .isEqualTo(2);
            });
    assertThat(meters.getMeters().toString()).doesNotContain(TOKEN);
  }

  @Test
  void withoutARegistryTheBeansArePlain() {
    runner.run(
        c -> {
          assertThat(c).doesNotHaveBean(BeckonObservations.class);
          assertThat(c).doesNotHaveBean(BeckonObservationAutoConfiguration.class);
          assertThat(c.getBean(Sender.class)).isInstanceOf(BotConnectorSender.class);
          assertThat(c.getBean(ReferenceRepository.class))
              .isInstanceOf(InMemoryReferenceRepository.class);
        });
  }

  @Test
  void withoutBeckonMicrometerOnTheClasspathTheBeansArePlain() {
    runner
        .withClassLoader(new FilteredClassLoader(BeckonObservations.class))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            c -> {
              assertThat(c).hasNotFailed();
              assertThat(c).doesNotHaveBean(BeckonObservationAutoConfiguration.class);
              assertThat(c.getBean(Sender.class)).isInstanceOf(BotConnectorSender.class);
            });
  }

  @Test
  void offByPropertyTheBeansArePlain() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("beckon.observations.enabled=false")
        .run(
            c -> {
              assertThat(c).doesNotHaveBean(BeckonObservations.class);
              assertThat(c.getBean(Sender.class)).isInstanceOf(BotConnectorSender.class);
            });
  }

  @Test
  void aMeterRegistryAloneGivesTimersAndRetryMeters() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    String conversation = "a:" + UUID.randomUUID();
    runner
        .withBean(MeterRegistry.class, () -> meters)
        .run(
            c -> {
              assertThat(c.getBean(BeckonObservations.class).meterRegistry()).containsSame(meters);
              connector.failNext(
                  conversation, FakeConnector.Fault.error(503, "ServiceUnavailable"));
              c.getBean(Sender.class).send(atConnector(conversation), Activity.message("hi"));
              assertThat(
                      meters
                          .get("beckon.send")
                          .tag("beckon.operation", "send_activity")
                          .tag("beckon.outcome", "DELIVERED")
                          .tag("activity.channel_id", "msteams")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(meters.get("beckon.token").tag("beckon.outcome", "success").timer())
                  .isNotNull();
              assertThat(meters.get("beckon.retries").tag("beckon.operation", "send").counter())
                  .isNotNull();
            });
  }

  @Test
  void anObservationRegistryAloneObservesAndLeavesRetriesAndBroadcastsAlone() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    runner
        .withBean(ObservationRegistry.class, () -> observations)
        .run(
            c -> {
              assertThat(c.getBean(BeckonObservations.class).meterRegistry()).isEmpty();
              c.getBean(Sender.class)
                  .send(atConnector("a:" + UUID.randomUUID()), Activity.message("hi"));
              assertThat(observations)
                  .hasObservationWithNameEqualTo("beckon.send")
                  .that()
                  .hasLowCardinalityKeyValue("beckon.outcome", "DELIVERED");
              // no meters to keep: the factory still builds broadcasts, and refuses a name that
              // would not be a bounded tag value whether or not meters are kept
              BroadcastFactory factory = c.getBean(BroadcastFactory.class);
              assertThat(factory.builder("ops")).isNotNull();
              for (String bad : List.of("", "two words", "x".repeat(65), "a\nb", "é")) {
                assertThatThrownBy(() -> factory.builder(bad))
                    .isInstanceOf(IllegalArgumentException.class);
              }
            });
  }

  @Test
  void theHighCardinalityPropertyPutsTheIdsOnSendsOnly() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    String conversation = "a:" + UUID.randomUUID();
    runner
        .withBean(ObservationRegistry.class, () -> observations)
        .withPropertyValues("beckon.observations.high-cardinality-ids=true")
        .run(
            c -> {
              c.getBean(Sender.class).send(atConnector(conversation), Activity.message("hi"));
              assertThat(observations)
                  .hasObservationWithNameEqualTo("beckon.send")
                  .that()
                  .hasHighCardinalityKeyValue("activity.conversation_id", conversation)
                  .hasHighCardinalityKeyValueWithKey("activity.id");
            });
    assertThat(meters.getMeters().toString()).doesNotContain(conversation);
  }

  @Test
  void theUsersBeckonObservationsWins() {
    TestObservationRegistry theirs = TestObservationRegistry.create();
    TestObservationRegistry mine = TestObservationRegistry.create();
    BeckonObservations own = BeckonObservations.of(mine);
    runner
        .withBean(ObservationRegistry.class, () -> theirs)
        .withBean(BeckonObservations.class, () -> own)
        .run(
            c -> {
              assertThat(c.getBean(BeckonObservations.class)).isSameAs(own);
              c.getBean(Sender.class)
                  .send(atConnector("a:" + UUID.randomUUID()), Activity.message("hi"));
              assertThat(mine).hasObservationWithNameEqualTo("beckon.send");
              assertThat(theirs).doesNotHaveAnyObservation();
            });
  }

  @Test
  void theUsersDecoratorsApplyInsideTheObservations() {
    List<String> seen = new ArrayList<>();
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(
            "mine",
            BeckonDecorator.class,
            () ->
                new BeckonDecorator() {
                  @Override
                  public dev.beckon.retry.RetryStrategy retryStrategy(
                      dev.beckon.retry.RetryStrategy s) {
                    seen.add("retry");
                    return s.toBuilder().listener(e -> seen.add("retried")).build();
                  }
                })
        .run(
            c -> {
              assertThat(c).getBeans(BeckonDecorator.class).hasSize(2);
              String conversation = "a:" + UUID.randomUUID();
              connector.failNext(
                  conversation, FakeConnector.Fault.error(503, "ServiceUnavailable"));
              c.getBean(Sender.class).send(atConnector(conversation), Activity.message("hi"));
              // the user's listener is kept beside the meters'
              assertThat(seen).contains("retry", "retried");
              assertThat(
                      c.getBean(MeterRegistry.class)
                          .get("beckon.retries")
                          .tag("beckon.operation", "send")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
            });
  }

  @Test
  void afterBootsOwnObservationAndMetricsAutoConfigurations() {
    // the Boot line's class names (3.5: actuator-autoconfigure; 4.0: spring-boot-micrometer-*):
    // sorted with Beckon's, which would come first by name without its afterName
    List<Class<?>> boot = new ArrayList<>();
    for (String name :
        List.of(
            "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration")) {
      try {
        boot.add(Class.forName(name));
      } catch (ClassNotFoundException e) {
        // the other Boot line's
      }
    }
    assertThat(boot).hasSize(4);
    List<Class<?>> all = new ArrayList<>(boot);
    all.add(BeckonObservationAutoConfiguration.class);
    all.add(BeckonAutoConfiguration.class);
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(all.toArray(Class<?>[]::new)))
        .withPropertyValues("beckon.anonymous=true")
        .run(
            c -> {
              assertThat(c).hasSingleBean(BeckonObservations.class);
              BeckonObservations beckon = c.getBean(BeckonObservations.class);
              assertThat(beckon.observationRegistry())
                  .isSameAs(c.getBean(ObservationRegistry.class));
              MeterRegistry meters = c.getBean(MeterRegistry.class);
              assertThat(beckon.meterRegistry()).containsSame(meters);
              c.getBean(Sender.class)
                  .send(atConnector("a:" + UUID.randomUUID()), Activity.message("hi"));
              // Boot's meter handler on Boot's observation registry made the send a timer
              assertThat(
                      meters
                          .get("beckon.send")
                          .tag("beckon.operation", "send_activity")
                          .tag("beckon.outcome", "DELIVERED")
                          .timer()
                          .count())
                  .isEqualTo(1);
            });
  }
}
