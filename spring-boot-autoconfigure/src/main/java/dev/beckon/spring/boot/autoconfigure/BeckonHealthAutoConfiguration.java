package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.auth.TokenProvider;
import dev.beckon.spring.boot.BeckonHealth;
import dev.beckon.spring.boot.BeckonProperties;
import dev.beckon.store.ReferenceRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code beckon} health indicator ({@code /actuator/health/beckon}) when Actuator is on the
 * classpath: Boot 3's {@code org.springframework.boot.actuate.health.HealthIndicator} or Boot 4's
 * {@code org.springframework.boot.health.contributor.HealthIndicator}, both reporting {@link
 * BeckonHealth}. Off with {@code management.health.beckon.enabled=false}. It checks the repository
 * and token provider beans as they were before the {@link dev.beckon.spring.boot.BeckonDecorator}s:
 * its probes are not counted as the application's store calls and token requests, and it names the
 * store's own type.
 */
@AutoConfiguration(after = BeckonAutoConfiguration.class)
@ConditionalOnProperty(prefix = "beckon", name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = "management.health.beckon", name = "enabled", matchIfMissing = true)
@ConditionalOnBean(ReferenceRepository.class)
public class BeckonHealthAutoConfiguration {

  /** Created by Spring Boot. */
  public BeckonHealthAutoConfiguration() {}

  static BeckonHealth health(
      ReferenceRepository repository,
      ObjectProvider<TokenProvider> tokens,
      BeckonProperties properties,
      ObjectProvider<DecoratingPostProcessor> decorating) {
    DecoratingPostProcessor d = decorating.getIfUnique();
    TokenProvider t = properties.isAnonymous() ? null : tokens.getIfUnique();
    if (d == null) {
      return new BeckonHealth(repository, t);
    }
    return new BeckonHealth(d.original(repository), t == null ? null : d.original(t));
  }

  /** Boot 3: Actuator's health types. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class Boot3 {
    @Bean
    @ConditionalOnMissingBean(name = "beckonHealthIndicator")
    Boot3HealthIndicator beckonHealthIndicator(
        ReferenceRepository repository,
        ObjectProvider<TokenProvider> tokens,
        BeckonProperties properties,
        ObjectProvider<DecoratingPostProcessor> decorating) {
      return new Boot3HealthIndicator(health(repository, tokens, properties, decorating));
    }
  }

  /** Boot 4: spring-boot-health's types. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot4 {
    @Bean
    @ConditionalOnMissingBean(name = "beckonHealthIndicator")
    Boot4HealthIndicator beckonHealthIndicator(
        ReferenceRepository repository,
        ObjectProvider<TokenProvider> tokens,
        BeckonProperties properties,
        ObjectProvider<DecoratingPostProcessor> decorating) {
      return new Boot4HealthIndicator(health(repository, tokens, properties, decorating));
    }
  }
}
