package dev.beckon.inbound;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How incoming tokens are validated: the bot's app id, the cloud, where the signing keys are
 * published, and the clock.
 *
 * <pre>{@code
 * AuthenticationConfig config = AuthenticationConfig.publicCloud("00000000-app-id");
 * AuthenticationConfig gov = AuthenticationConfig.usGovernment("00000000-app-id");
 * AuthenticationConfig local = AuthenticationConfig.anonymous();   // Emulator without app id
 * }</pre>
 *
 * @param appId the bot's Microsoft app id, or {@code null} for anonymous mode (local only: every
 *     request is accepted unauthenticated)
 * @param channelIssuer issuer of channel tokens ({@code https://api.botframework.com} or {@code
 *     https://api.botframework.us})
 * @param channelOpenIdMetadata OpenID configuration of channel tokens
 * @param emulatorIssuers issuers accepted for Bot Framework Emulator tokens (empty: none)
 * @param emulatorOpenIdMetadata OpenID configuration of Emulator tokens, or {@code null}
 * @param clockSkew tolerance on {@code exp} and {@code nbf} (Bot Framework: 5 minutes)
 * @param keyCacheTime how long published keys are trusted before a refresh (24 hours)
 * @param unknownKeyRefreshInterval at most one refresh this often for an unknown {@code kid} (1
 *     hour)
 * @param fetchTimeout connect + read timeout of one metadata or key fetch
 * @param clock the clock for expiry and caches
 */
public record AuthenticationConfig(
    @Nullable String appId,
    String channelIssuer,
    URI channelOpenIdMetadata,
    List<String> emulatorIssuers,
    @Nullable URI emulatorOpenIdMetadata,
    Duration clockSkew,
    Duration keyCacheTime,
    Duration unknownKeyRefreshInterval,
    Duration fetchTimeout,
    Clock clock) {

  /** Emulator token issuers (v1 and v2, both Microsoft tenants). */
  public static final List<String> EMULATOR_ISSUERS =
      List.of(
          "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
          "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0",
          "https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
          "https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0");

  /**
   * Validates.
   *
   * @param appId the bot's Microsoft app id, or {@code null} for anonymous mode (local only: every
   *     request is accepted unauthenticated)
   * @param channelIssuer issuer of channel tokens ({@code https://api.botframework.com} or {@code
   *     https://api.botframework.us})
   * @param channelOpenIdMetadata OpenID configuration of channel tokens
   * @param emulatorIssuers issuers accepted for Bot Framework Emulator tokens (empty: none)
   * @param emulatorOpenIdMetadata OpenID configuration of Emulator tokens, or {@code null}
   * @param clockSkew tolerance on {@code exp} and {@code nbf} (Bot Framework: 5 minutes)
   * @param keyCacheTime how long published keys are trusted before a refresh (24 hours)
   * @param unknownKeyRefreshInterval at most one refresh this often for an unknown {@code kid} (1
   *     hour)
   * @param fetchTimeout connect + read timeout of one metadata or key fetch
   * @param clock the clock for expiry and caches
   */
  public AuthenticationConfig {
    Objects.requireNonNull(channelIssuer, "channelIssuer");
    Objects.requireNonNull(channelOpenIdMetadata, "channelOpenIdMetadata");
    emulatorIssuers = List.copyOf(emulatorIssuers);
    Objects.requireNonNull(clockSkew, "clockSkew");
    Objects.requireNonNull(keyCacheTime, "keyCacheTime");
    Objects.requireNonNull(unknownKeyRefreshInterval, "unknownKeyRefreshInterval");
    Objects.requireNonNull(fetchTimeout, "fetchTimeout");
    Objects.requireNonNull(clock, "clock");
    if (appId != null && appId.isBlank()) {
      throw new IllegalArgumentException("appId must not be blank (use anonymous() for no app id)");
    }
  }

  /**
   * The public Azure cloud: channel tokens from {@code login.botframework.com}, Emulator tokens
   * from {@code login.microsoftonline.com}.
   *
   * @param appId the bot's app id
   * @return the configuration
   */
  public static AuthenticationConfig publicCloud(String appId) {
    return new AuthenticationConfig(
        Objects.requireNonNull(appId, "appId"),
        "https://api.botframework.com",
        URI.create("https://login.botframework.com/v1/.well-known/openidconfiguration"),
        EMULATOR_ISSUERS,
        URI.create(
            "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"),
        Duration.ofMinutes(5),
        Duration.ofHours(24),
        Duration.ofHours(1),
        Duration.ofSeconds(10),
        Clock.systemUTC());
  }

  /**
   * US Government cloud: issuer {@code https://api.botframework.us}, keys from {@code
   * login.botframework.azure.us}. No Emulator tokens.
   *
   * @param appId the bot's app id
   * @return the configuration
   */
  public static AuthenticationConfig usGovernment(String appId) {
    return new AuthenticationConfig(
        Objects.requireNonNull(appId, "appId"),
        "https://api.botframework.us",
        URI.create("https://login.botframework.azure.us/v1/.well-known/openidconfiguration"),
        List.of(),
        null,
        Duration.ofMinutes(5),
        Duration.ofHours(24),
        Duration.ofHours(1),
        Duration.ofSeconds(10),
        Clock.systemUTC());
  }

  /**
   * No app id: every request is accepted without a token. For the Emulator and local tests only;
   * never expose such an endpoint.
   *
   * @return the configuration
   */
  public static AuthenticationConfig anonymous() {
    return new AuthenticationConfig(
        null,
        "https://api.botframework.com",
        URI.create("https://login.botframework.com/v1/.well-known/openidconfiguration"),
        List.of(),
        null,
        Duration.ofMinutes(5),
        Duration.ofHours(24),
        Duration.ofHours(1),
        Duration.ofSeconds(10),
        Clock.systemUTC());
  }

  /**
   * A copy with other metadata locations (tests, sovereign clouds).
   *
   * @param channel channel-token OpenID configuration
   * @param emulator Emulator-token OpenID configuration, or {@code null} for none
   * @return the copy
   */
  public AuthenticationConfig withOpenIdMetadata(URI channel, @Nullable URI emulator) {
    return new AuthenticationConfig(
        appId,
        channelIssuer,
        channel,
        emulatorIssuers,
        emulator,
        clockSkew,
        keyCacheTime,
        unknownKeyRefreshInterval,
        fetchTimeout,
        clock);
  }

  /**
   * A copy with another clock.
   *
   * @param value the clock
   * @return the copy
   */
  public AuthenticationConfig withClock(Clock value) {
    return new AuthenticationConfig(
        appId,
        channelIssuer,
        channelOpenIdMetadata,
        emulatorIssuers,
        emulatorOpenIdMetadata,
        clockSkew,
        keyCacheTime,
        unknownKeyRefreshInterval,
        fetchTimeout,
        value);
  }

  /**
   * Whether every request is accepted without a token.
   *
   * @return true without an app id
   */
  public boolean isAnonymous() {
    return appId == null;
  }
}
