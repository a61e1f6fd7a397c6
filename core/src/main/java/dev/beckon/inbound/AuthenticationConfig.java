package dev.beckon.inbound;

import dev.beckon.auth.Cloud;
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
 * AuthenticationConfig gov = AuthenticationConfig.forCloud(Cloud.US_GOV, "00000000-app-id");
 * // a single-tenant bot: Entra ID tokens of its tenant too
 * AuthenticationConfig single = AuthenticationConfig.forCloud(Cloud.PUBLIC, appId, tenantId);
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
 * @param entra Entra ID tokens accepted for a single-tenant bot, or {@code null} for none
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
    Clock clock,
    @Nullable Entra entra) {

  /**
   * The Entra ID tokens of one tenant, as the Microsoft 365 Agents SDK accepts them for
   * single-tenant bots: issuer {@code v1Issuer} ({@code ver} 1.0) with keys from {@code
   * v1OpenIdMetadata}, or {@code v2Issuer} ({@code ver} 2.0) with keys from {@code
   * v2OpenIdMetadata}; the token's {@code tid} equal to {@code tenantId}. Each discovery document
   * must name its issuer and a key set on its own host. Usually built by {@link
   * AuthenticationConfig#forCloud(Cloud, String, String)}.
   *
   * @param tenantId the bot's tenant id (a lower-case GUID; never {@code common}, {@code
   *     organizations} or {@code consumers})
   * @param v1Issuer e.g. {@code https://sts.windows.net/<tenant>/}
   * @param v1OpenIdMetadata e.g. {@code
   *     https://login.microsoftonline.com/<tenant>/.well-known/openid-configuration}
   * @param v2Issuer e.g. {@code https://login.microsoftonline.com/<tenant>/v2.0}
   * @param v2OpenIdMetadata e.g. {@code
   *     https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration}
   */
  public record Entra(
      String tenantId,
      String v1Issuer,
      URI v1OpenIdMetadata,
      String v2Issuer,
      URI v2OpenIdMetadata) {

    /**
     * Validates.
     *
     * @param tenantId the bot's tenant id (a lower-case GUID)
     * @param v1Issuer the v1.0 issuer, ending in {@code /<tenant>/}
     * @param v1OpenIdMetadata the v1.0 discovery document
     * @param v2Issuer the v2.0 issuer, ending in {@code /<tenant>/v2.0}
     * @param v2OpenIdMetadata the v2.0 discovery document
     * @throws IllegalArgumentException when the tenant is not a GUID or an issuer is not the
     *     tenant's
     */
    public Entra {
      if (!Cloud.isTenantId(tenantId)) {
        throw new IllegalArgumentException(
            "a single-tenant bot's tenant is a lower-case GUID (not common, organizations,"
                + " consumers or a domain)");
      }
      Objects.requireNonNull(v1OpenIdMetadata, "v1OpenIdMetadata");
      Objects.requireNonNull(v2OpenIdMetadata, "v2OpenIdMetadata");
      if (!Objects.requireNonNull(v1Issuer, "v1Issuer").startsWith("https://")
          || !v1Issuer.endsWith("/" + tenantId + "/")) {
        throw new IllegalArgumentException("v1Issuer must be https://<host>/<tenant>/");
      }
      if (!Objects.requireNonNull(v2Issuer, "v2Issuer").startsWith("https://")
          || !v2Issuer.endsWith("/" + tenantId + "/v2.0")) {
        throw new IllegalArgumentException("v2Issuer must be https://<host>/<tenant>/v2.0");
      }
    }

    /**
     * A cloud's issuers and discovery documents for a tenant.
     *
     * @param cloud the cloud
     * @param tenantId the tenant id (lower-case GUID)
     * @return the settings
     */
    public static Entra of(Cloud cloud, String tenantId) {
      return new Entra(
          tenantId,
          cloud.entraV1Issuer(tenantId),
          cloud.entraV1OpenIdMetadata(tenantId),
          cloud.entraV2Issuer(tenantId),
          cloud.entraV2OpenIdMetadata(tenantId));
    }

    /**
     * A copy with other discovery locations (tests: a local fake).
     *
     * @param v1 the v1.0 discovery document
     * @param v2 the v2.0 discovery document
     * @return the copy
     */
    public Entra withOpenIdMetadata(URI v1, URI v2) {
      return new Entra(tenantId, v1Issuer, v1, v2Issuer, v2);
    }
  }

  /**
   * Without Entra ID tokens (the constructor of Beckon 0.x, kept).
   *
   * @param appId the bot's Microsoft app id, or {@code null} for anonymous mode
   * @param channelIssuer issuer of channel tokens
   * @param channelOpenIdMetadata OpenID configuration of channel tokens
   * @param emulatorIssuers issuers accepted for Bot Framework Emulator tokens (empty: none)
   * @param emulatorOpenIdMetadata OpenID configuration of Emulator tokens, or {@code null}
   * @param clockSkew tolerance on {@code exp} and {@code nbf}
   * @param keyCacheTime how long published keys are trusted before a refresh
   * @param unknownKeyRefreshInterval at most one refresh this often for an unknown {@code kid}
   * @param fetchTimeout connect + read timeout of one metadata or key fetch
   * @param clock the clock for expiry and caches
   */
  public AuthenticationConfig(
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
    this(
        appId,
        channelIssuer,
        channelOpenIdMetadata,
        emulatorIssuers,
        emulatorOpenIdMetadata,
        clockSkew,
        keyCacheTime,
        unknownKeyRefreshInterval,
        fetchTimeout,
        clock,
        null);
  }

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
   * @param entra Entra ID tokens accepted for a single-tenant bot, or {@code null} for none
   * @throws IllegalArgumentException when the app id is blank, or Entra tokens are set without an
   *     app id
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
    if (appId == null && entra != null) {
      throw new IllegalArgumentException("Entra ID tokens need an app id (their audience)");
    }
  }

  /**
   * The public Azure cloud: channel tokens from {@code login.botframework.com}, Emulator tokens
   * from {@code login.microsoftonline.com}. The same as {@code forCloud(Cloud.PUBLIC, appId)}.
   *
   * @param appId the bot's app id
   * @return the configuration
   */
  public static AuthenticationConfig publicCloud(String appId) {
    return forCloud(Cloud.PUBLIC, appId);
  }

  /**
   * US Government cloud: issuer {@code https://api.botframework.us}, keys from {@code
   * login.botframework.azure.us}. No Emulator tokens. The same as {@code forCloud(Cloud.US_GOV,
   * appId)}.
   *
   * @param appId the bot's app id
   * @return the configuration
   */
  public static AuthenticationConfig usGovernment(String appId) {
    return forCloud(Cloud.US_GOV, appId);
  }

  /**
   * A cloud's channel tokens (its issuer and OpenID configuration); Emulator tokens in {@link
   * Cloud#PUBLIC} only. Bot Framework defaults: 5 minutes of skew, keys trusted 24 hours, at most
   * one refresh an hour for an unknown key, 10 s per fetch.
   *
   * @param cloud the cloud
   * @param appId the bot's app id
   * @return the configuration
   */
  public static AuthenticationConfig forCloud(Cloud cloud, String appId) {
    boolean emulator = Cloud.PUBLIC.equals(cloud);
    return new AuthenticationConfig(
        Objects.requireNonNull(appId, "appId"),
        cloud.channelIssuer(),
        cloud.channelOpenIdMetadata(),
        emulator ? EMULATOR_ISSUERS : List.of(),
        emulator
            ? URI.create(
                "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration")
            : null,
        Duration.ofMinutes(5),
        Duration.ofHours(24),
        Duration.ofHours(1),
        Duration.ofSeconds(10),
        Clock.systemUTC(),
        null);
  }

  /**
   * A single-tenant bot in a cloud: its channel tokens, and Entra ID tokens of its tenant (issuers
   * {@code <v1 host>/<tenant>/} and {@code <login host>/<tenant>/v2.0}, keys from the tenant's
   * discovery documents on the cloud's login host, {@code tid} = the tenant), as the Microsoft 365
   * Agents SDK accepts them.
   *
   * @param cloud the cloud
   * @param appId the bot's app id (the tokens' audience)
   * @param tenantId the bot's tenant id (lower-case GUID)
   * @return the configuration
   * @throws IllegalArgumentException when the tenant is not a GUID ({@code common} and {@code
   *     organizations} are refused: a single-tenant bot has one tenant)
   */
  public static AuthenticationConfig forCloud(Cloud cloud, String appId, String tenantId) {
    return forCloud(cloud, appId).withEntra(Entra.of(cloud, tenantId));
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
        clock,
        entra);
  }

  /**
   * A copy that accepts Entra ID tokens of one tenant, or none.
   *
   * @param value the tenant's issuers and discovery documents, or {@code null}
   * @return the copy
   */
  public AuthenticationConfig withEntra(@Nullable Entra value) {
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
        clock,
        value);
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
        value,
        entra);
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
