package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.micrometer.BeckonObservations;
import dev.beckon.spring.boot.BeckonDecorator;
import dev.beckon.spring.boot.BeckonProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Beckon's observations ({@code beckon-micrometer}) from the application's registries: a {@link
 * BeckonObservations} bean (yours wins) and the {@code beckonObservationsDecorator} {@link
 * BeckonDecorator}, which observes every {@code Sender}, {@code ReferenceRepository} and {@code
 * TokenProvider} bean, counts the retries of the auto-configured sender and of the broadcasts, and
 * keeps the broadcasts' gauges.
 *
 * <p>Needs {@code beckon-micrometer} on the classpath (the starter brings it) and an {@link
 * ObservationRegistry} or {@link MeterRegistry} bean (Actuator gives both), or a {@link
 * BeckonObservations} bean of yours. Ordered after Boot's observation and metrics
 * auto-configurations (Boot 3 and Boot 4 names), so the registries Boot builds count. Off with
 * {@code beckon.observations.enabled=false}; {@code beckon.observations.high-cardinality-ids=true}
 * puts the conversation and activity ids on send spans.
 *
 * <table>
 *   <caption>What is wired from which beans</caption>
 *   <tr><th>beans</th><th>{@code BeckonObservations}</th></tr>
 *   <tr><td>both registries</td><td>observations into the {@code ObservationRegistry} (whose
 *       handlers Boot set: timers, spans), retry and broadcast meters into the {@code
 *       MeterRegistry}</td></tr>
 *   <tr><td>{@code MeterRegistry} only</td><td>{@link BeckonObservations#of(MeterRegistry)}:
 *       every observation a timer</td></tr>
 *   <tr><td>{@code ObservationRegistry} only</td><td>observations only: no retry and broadcast
 *       meters</td></tr>
 * </table>
 */
@AutoConfiguration(
    after = BeckonAutoConfiguration.class,
    afterName = {
      // Boot 3.5 (spring-boot-actuator-autoconfigure)
      "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
      // Boot 4.0 (spring-boot-micrometer-observation, spring-boot-micrometer-metrics)
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(
    name = {
      "dev.beckon.micrometer.BeckonObservations",
      "io.micrometer.observation.ObservationRegistry",
      "io.micrometer.core.instrument.MeterRegistry"
    })
@ConditionalOnProperty(prefix = "beckon", name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = "beckon.observations", name = "enabled", matchIfMissing = true)
@Conditional(BeckonObservationAutoConfiguration.RegistryPresent.class)
public class BeckonObservationAutoConfiguration {

  /** Created by Spring Boot. */
  public BeckonObservationAutoConfiguration() {}

  /**
   * The observations, from the registry beans.
   *
   * @param observations the observation registry bean, if any (the primary one of several)
   * @param meters the meter registry bean, if any (the primary one of several)
   * @param properties {@code beckon.observations.high-cardinality-ids}
   * @return the observations
   * @throws IllegalStateException when there are several registries and none is primary
   */
  @Bean
  @ConditionalOnMissingBean
  public BeckonObservations beckonObservations(
      ObjectProvider<ObservationRegistry> observations,
      ObjectProvider<MeterRegistry> meters,
      BeckonProperties properties) {
    ObservationRegistry registry = observations.getIfUnique();
    MeterRegistry meterRegistry = meters.getIfUnique();
    if (registry == null) {
      if (meterRegistry == null) {
        throw new IllegalStateException(
            "Beckon's observations need one ObservationRegistry or MeterRegistry bean (or a"
                + " primary one of several); define a BeckonObservations bean, or set"
                + " beckon.observations.enabled=false");
      }
      // no spans without an ObservationRegistry: the ids would have nowhere to go
      return BeckonObservations.of(meterRegistry);
    }
    BeckonObservations.Builder b =
        BeckonObservations.builder(registry)
            .highCardinalityIds(properties.getObservations().isHighCardinalityIds());
    if (meterRegistry != null) {
      b.meterRegistry(meterRegistry);
    }
    return b.build();
  }

  /**
   * The decorator that applies the observations to Beckon's beans, retries and broadcasts.
   *
   * @param observations the observations bean (the auto-configured one, or yours)
   * @return the decorator
   */
  @Bean
  @ConditionalOnMissingBean(name = "beckonObservationsDecorator")
  public BeckonDecorator beckonObservationsDecorator(BeckonObservations observations) {
    return new ObservationsDecorator(observations);
  }

  /** An ObservationRegistry, a MeterRegistry or a BeckonObservations bean. */
  static final class RegistryPresent extends AnyNestedCondition {

    RegistryPresent() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(type = "io.micrometer.observation.ObservationRegistry")
    static final class Observations {}

    @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
    static final class Meters {}

    @ConditionalOnBean(type = "dev.beckon.micrometer.BeckonObservations")
    static final class Yours {}
  }
}
