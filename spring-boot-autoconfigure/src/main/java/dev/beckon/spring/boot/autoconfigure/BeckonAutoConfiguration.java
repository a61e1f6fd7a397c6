package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.Cloud;
import dev.beckon.auth.TokenProvider;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.Sender;
import dev.beckon.spring.boot.BeckonDecorator;
import dev.beckon.spring.boot.BeckonProperties;
import dev.beckon.spring.boot.BroadcastFactory;
import dev.beckon.store.ReferenceRepository;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Beckon's beans, from the {@code beckon.*} properties and your own beans:
 *
 * <ul>
 *   <li>a {@link ReferenceRepository} over your client bean ({@code DataSource}, {@code
 *       UnifiedJedis}, {@code TableClient}, {@code DynamoDbClient}), else in memory; your own
 *       repository bean wins;
 *   <li>a {@link TokenProvider} (client credentials) when {@code beckon.password} is set and you
 *       define none;
 *   <li>a {@link BotConnectorSender}, closed on shutdown, unless you define a {@link Sender}; its
 *       retry strategy is {@link RetryStrategy#defaults()} through your decorators;
 *   <li>a {@link BroadcastFactory}, whose broadcasts your decorators see too;
 *   <li>a {@code DeliveryQueue} over your {@code DataSource} or {@code UnifiedJedis} (yours wins;
 *       in memory, with a WARN, only for a worker of this process), and with {@code
 *       beckon.delivery.enabled=true} the delivery worker, a {@code SmartLifecycle} stopped
 *       gracefully;
 *   <li>the post-processor that applies your {@link BeckonDecorator} beans.
 * </ul>
 *
 * Off with {@code beckon.enabled=false}. Runs after Boot's {@code DataSource} auto-configuration
 * (Boot 3 and Boot 4), so a data source Boot builds counts as yours.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
    })
@ConditionalOnProperty(prefix = "beckon", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(BeckonProperties.class)
@Import({
  StoreConfigurations.Jdbc.class,
  StoreConfigurations.Redis.class,
  StoreConfigurations.AzureTable.class,
  StoreConfigurations.DynamoDb.class,
  StoreConfigurations.Memory.class,
  StoreConfigurations.Missing.class,
  DeliveryConfigurations.Jdbc.class,
  DeliveryConfigurations.Redis.class,
  DeliveryConfigurations.Memory.class,
  DeliveryConfigurations.Worker.class
})
public class BeckonAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(BeckonAutoConfiguration.class);

  /** Created by Spring Boot. */
  public BeckonAutoConfiguration() {}

  /**
   * Applies the {@link BeckonDecorator} beans to every sender, repository and token provider bean.
   *
   * @param decorators the decorator beans, looked up when the first Beckon bean is created
   * @return the post-processor
   */
  @Bean
  static DecoratingPostProcessor beckonDecoratingPostProcessor(
      ObjectProvider<BeckonDecorator> decorators) {
    return new DecoratingPostProcessor(decorators);
  }

  /**
   * Client credentials from {@code beckon.app-id}, {@code beckon.password}, {@code beckon.tenant}
   * and the cloud ({@code beckon.cloud}, or your {@link Cloud} bean).
   *
   * @param properties the properties
   * @param cloud your cloud bean, if any
   * @return the token provider
   */
  @Bean
  @ConditionalOnMissingBean(TokenProvider.class)
  @ConditionalOnProperty(prefix = "beckon", name = "password")
  public ClientCredentials beckonTokenProvider(
      BeckonProperties properties, ObjectProvider<Cloud> cloud) {
    String appId = properties.getAppId();
    String password = properties.getPassword();
    if (appId == null || password == null) {
      throw new IllegalStateException(
          "beckon.password is set but beckon.app-id is not: both are needed for the bot's token");
    }
    ClientCredentials.Builder b =
        ClientCredentials.builder(appId, password)
            .cloud(CloudSettings.of(properties.getCloud(), cloud.getIfUnique()));
    String tenant = properties.getTenant();
    if (tenant != null) {
      b.tenant(tenant); // after the cloud: the tenant goes on the cloud's authority
    }
    return b.build();
  }

  /**
   * The Bot Connector sender: with the {@link TokenProvider} bean, or anonymous with {@code
   * beckon.anonymous=true}; the cloud's trusted hosts plus {@code beckon.trusted-hosts}; the
   * default retry strategy through {@link BeckonDecorator#retryStrategy}. Closed when the context
   * closes.
   *
   * @param properties the properties
   * @param cloud your cloud bean, if any (else {@code beckon.cloud})
   * @param tokens the token provider bean, if any
   * @param decorators the decorator beans
   * @return the sender
   */
  @Bean
  @ConditionalOnMissingBean(Sender.class)
  public BotConnectorSender beckonSender(
      BeckonProperties properties,
      ObjectProvider<Cloud> cloud,
      ObjectProvider<TokenProvider> tokens,
      ObjectProvider<BeckonDecorator> decorators) {
    RetryStrategy retry = RetryStrategy.defaults();
    for (BeckonDecorator d : decorators.orderedStream().toList()) {
      retry =
          Objects.requireNonNull(
              d.retryStrategy(retry), "a BeckonDecorator returned a null strategy");
    }
    Cloud c = CloudSettings.of(properties.getCloud(), cloud.getIfUnique());
    BotConnectorSender.Builder b =
        BotConnectorSender.builder()
            .retry(retry)
            .cloud(c) // refuses credentials of another cloud's scope
            .trustPolicy(CloudSettings.trustPolicy(c, properties.getTrustedHosts()));
    if (properties.isAnonymous()) {
      LOG.warn(
          "beckon.anonymous=true: messages are sent without a token. For the Bot Framework "
              + "Emulator and local tests only");
      return b.anonymous().build();
    }
    TokenProvider provider = tokens.getIfUnique();
    if (provider == null) {
      throw new IllegalStateException(
          "Beckon needs the bot's credentials: set beckon.app-id and beckon.password, or define "
              + "one TokenProvider bean (a certificate, a managed identity), or, for the Emulator "
              + "and local tests only, beckon.anonymous=true");
    }
    return b.credentials(provider).build();
  }

  /**
   * Broadcasts over the repository and sender beans, their retry strategy and listener through the
   * decorator beans.
   *
   * @param repository the repository bean
   * @param sender the sender bean
   * @param decorators the decorator beans
   * @return the factory
   */
  @Bean
  @ConditionalOnMissingBean
  public BroadcastFactory beckonBroadcastFactory(
      ReferenceRepository repository, Sender sender, ObjectProvider<BeckonDecorator> decorators) {
    List<BeckonDecorator> all = decorators.orderedStream().toList();
    return new BroadcastFactory(repository, sender, all);
  }
}
