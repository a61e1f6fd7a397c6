package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.auth.Cloud;
import dev.beckon.inbound.AuthenticationConfig;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.inbound.InboundAuthenticator;
import dev.beckon.spring.boot.ActivityHandler;
import dev.beckon.spring.boot.BeckonProperties;
import dev.beckon.store.ReferenceRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The inbound endpoint in a servlet web application (Spring MVC): {@code POST
 * ${beckon.endpoint.path}} (default {@code /api/messages}) through core's {@link CaptureHandler},
 * which validates the Bot Framework JWT ({@link InboundAuthenticator}; none with {@code
 * beckon.anonymous=true}, which logs a WARN), captures the reference into the {@link
 * ReferenceRepository} bean and then calls your {@link ActivityHandler} bean.
 *
 * <p>Your own {@link AuthenticationConfig}, {@link InboundAuthenticator} or {@link CaptureHandler}
 * bean replaces Beckon's. Off with {@code beckon.endpoint.enabled=false}.
 */
@AutoConfiguration(after = BeckonAutoConfiguration.class)
@ConditionalOnProperty(prefix = "beckon", name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = "beckon.endpoint", name = "enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
@ConditionalOnBean(ReferenceRepository.class)
public class BeckonWebAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(BeckonWebAutoConfiguration.class);

  /** Created by Spring Boot. */
  public BeckonWebAutoConfiguration() {}

  /**
   * How inbound tokens are validated: {@code AuthenticationConfig.forCloud(cloud, appId)} for the
   * cloud ({@code beckon.cloud}, or your {@link Cloud} bean) and {@code beckon.app-id}, or none
   * with {@code beckon.anonymous=true}.
   *
   * @param properties the properties
   * @param cloud your cloud bean, if any
   * @return the configuration
   */
  @Bean
  @ConditionalOnMissingBean
  public AuthenticationConfig beckonAuthenticationConfig(
      BeckonProperties properties, ObjectProvider<Cloud> cloud) {
    if (properties.isAnonymous()) {
      LOG.warn(
          "beckon.anonymous=true: {} accepts activities WITHOUT validating any token, so anyone "
              + "who can reach it can store references. For the Bot Framework Emulator and local "
              + "tests only",
          properties.getEndpoint().getPath());
      return AuthenticationConfig.anonymous();
    }
    String appId = properties.getAppId();
    if (appId == null) {
      throw new IllegalStateException(
          "beckon.app-id is needed to validate the tokens of inbound activities (or, for the "
              + "Emulator and local tests only, beckon.anonymous=true; or "
              + "beckon.endpoint.enabled=false for an application that only sends)");
    }
    // channel tokens of the cloud (and the Emulator's in the public cloud); Entra ID tokens of a
    // single tenant are accepted only with an AuthenticationConfig bean of yours (forCloud(cloud,
    // appId, tenantId)): any application of that tenant could ask Entra ID for one
    return AuthenticationConfig.forCloud(
        CloudSettings.of(properties.getCloud(), cloud.getIfUnique()), appId);
  }

  /**
   * The token validator (it caches the signing keys).
   *
   * @param config how tokens are validated
   * @return the validator
   */
  @Bean
  @ConditionalOnMissingBean
  public InboundAuthenticator beckonInboundAuthenticator(AuthenticationConfig config) {
    return new InboundAuthenticator(config);
  }

  /**
   * Core's capture logic over the repository and the validator.
   *
   * @param repository the repository bean
   * @param config how tokens are validated (core warns when it is anonymous)
   * @param authenticator the validator
   * @param properties the properties (body limit)
   * @return the handler
   */
  @Bean
  @ConditionalOnMissingBean
  public CaptureHandler beckonCaptureHandler(
      ReferenceRepository repository,
      AuthenticationConfig config,
      InboundAuthenticator authenticator,
      BeckonProperties properties) {
    // the config too: with authenticator(...) alone, core's builder would warn "anonymous"
    return CaptureHandler.builder(repository)
        .authentication(config)
        .authenticator(authenticator)
        .maxBodyBytes(properties.getEndpoint().getMaxBodyBytes())
        .build();
  }

  /**
   * The route: {@code POST ${beckon.endpoint.path}}.
   *
   * @param capture the capture handler
   * @param handler your activity handler, if any
   * @param properties the properties
   * @return the route
   */
  @Bean
  public RouterFunction<ServerResponse> beckonEndpoint(
      CaptureHandler capture,
      ObjectProvider<ActivityHandler> handler,
      BeckonProperties properties) {
    String path = properties.getEndpoint().getPath();
    if (!path.startsWith("/")) {
      throw new IllegalStateException("beckon.endpoint.path must start with / (is " + path + ")");
    }
    return RouterFunctions.route(
        RequestPredicates.POST(path),
        new BeckonEndpoint(capture, handler, properties.getEndpoint().getMaxBodyBytes()));
  }
}
