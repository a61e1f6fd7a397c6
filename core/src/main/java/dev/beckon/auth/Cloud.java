package dev.beckon.auth;

import dev.beckon.reference.ServiceUrl;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One Microsoft cloud: where the bot's token comes from and for what scope, where incoming tokens
 * are checked, which hosts may receive the token, and where Teams takes a conversation created from
 * scratch. One value switches the three sides together:
 *
 * <pre>{@code
 * Cloud cloud = Cloud.US_GOV;
 * ClientCredentials creds = ClientCredentials.builder(appId, secret).cloud(cloud).tenant(tenantId).build();
 * BotConnectorSender sender = BotConnectorSender.builder().cloud(cloud).credentials(creds).build();
 * InboundAuthenticator inbound =
 *     new InboundAuthenticator(AuthenticationConfig.forCloud(cloud, appId).withTenant(tenantId));
 * }</pre>
 *
 * <p>The presets ({@link #PUBLIC}, {@link #US_GOV}, {@link #US_DOD}, {@link #CHINA}) name only
 * hosts Microsoft alone controls. GCC (Moderate) tenants are in the public cloud ({@link #PUBLIC}),
 * with the Teams service URL {@code https://smba.infra.gcc.teams.microsoft.com/teams}. A custom
 * cloud ({@code new Cloud(…)} or the {@code with…} copies) is validated: every URL {@code https}
 * (or {@code http} to a loopback literal, for local fakes), the trusted hosts valid {@link
 * TrustPolicy} patterns.
 *
 * @param name a short name for messages ({@code public}, {@code us-gov}, {@code us-dod}, {@code
 *     china})
 * @param loginEndpoint the Entra ID host tokens come from, without path ({@code
 *     https://login.microsoftonline.com})
 * @param loginTenant the tenant of multi-tenant bots ({@code botframework.com})
 * @param scope the Bot Connector scope ({@code https://api.botframework.com/.default})
 * @param channelIssuer the issuer of channel tokens ({@code https://api.botframework.com})
 * @param channelOpenIdMetadata the OpenID configuration of channel tokens
 * @param entraV1IssuerHost the host of Entra v1.0 issuers ({@code https://sts.windows.net}; v1.0
 *     issuer {@code <host>/<tenant>/}, v2.0 issuer {@code <loginEndpoint>/<tenant>/v2.0})
 * @param trustedHosts where the token may go, as {@link TrustPolicy} patterns
 * @param teamsServiceUrl the Teams service URL for a conversation created with no stored reference,
 *     or {@code null} when Microsoft publishes none for this cloud
 */
public record Cloud(
    String name,
    URI loginEndpoint,
    String loginTenant,
    String scope,
    String channelIssuer,
    URI channelOpenIdMetadata,
    URI entraV1IssuerHost,
    List<String> trustedHosts,
    @Nullable URI teamsServiceUrl) {

  // before the presets: their constructors use them
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");
  private static final Pattern GUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /**
   * The public (commercial) cloud, GCC (Moderate) included: tokens from {@code
   * login.microsoftonline.com}, hosts {@code *.botframework.com}, exactly {@code
   * smba.trafficmanager.net} (never {@code *.trafficmanager.net}), {@code *.teams.microsoft.com}.
   */
  public static final Cloud PUBLIC =
      new Cloud(
          "public",
          URI.create("https://login.microsoftonline.com"),
          "botframework.com",
          "https://api.botframework.com/.default",
          "https://api.botframework.com",
          URI.create("https://login.botframework.com/v1/.well-known/openidconfiguration"),
          URI.create("https://sts.windows.net"),
          List.of("*.botframework.com", "smba.trafficmanager.net", "*.teams.microsoft.com"),
          URI.create("https://smba.trafficmanager.net/teams/"));

  /**
   * US Government, GCC High: tokens from {@code login.microsoftonline.us}, hosts {@code
   * *.botframework.us}, {@code *.botframework.azure.us}, {@code *.teams.microsoft.us}.
   */
  public static final Cloud US_GOV =
      new Cloud(
          "us-gov",
          URI.create("https://login.microsoftonline.us"),
          "MicrosoftServices.onmicrosoft.us",
          "https://api.botframework.us/.default",
          "https://api.botframework.us",
          URI.create("https://login.botframework.azure.us/v1/.well-known/openidconfiguration"),
          URI.create("https://sts.windows.net"),
          List.of("*.botframework.us", "*.botframework.azure.us", "*.teams.microsoft.us"),
          URI.create("https://smba.infra.gov.teams.microsoft.us/teams"));

  /** US Government, DoD: as {@link #US_GOV}, with the DoD Teams service URL. */
  public static final Cloud US_DOD =
      new Cloud(
          "us-dod",
          US_GOV.loginEndpoint,
          US_GOV.loginTenant,
          US_GOV.scope,
          US_GOV.channelIssuer,
          US_GOV.channelOpenIdMetadata,
          US_GOV.entraV1IssuerHost,
          US_GOV.trustedHosts,
          URI.create("https://smba.infra.dod.teams.microsoft.us/teams"));

  /**
   * Azure China (operated by 21Vianet): tokens from {@code login.partner.microsoftonline.cn}, hosts
   * {@code *.botframework.azure.cn}. No Teams service URL is published.
   */
  public static final Cloud CHINA =
      new Cloud(
          "china",
          URI.create("https://login.partner.microsoftonline.cn"),
          "microsoftservices.partner.onmschina.cn",
          "https://api.botframework.azure.cn/.default",
          "https://api.botframework.azure.cn",
          URI.create("https://login.botframework.azure.cn/v1/.well-known/openidconfiguration"),
          URI.create("https://sts.chinacloudapi.cn"),
          List.of("*.botframework.azure.cn"),
          null);

  /**
   * Validates.
   *
   * @param name a short name for messages
   * @param loginEndpoint the Entra ID host tokens come from, without path
   * @param loginTenant the tenant of multi-tenant bots
   * @param scope the Bot Connector scope
   * @param channelIssuer the issuer of channel tokens
   * @param channelOpenIdMetadata the OpenID configuration of channel tokens
   * @param entraV1IssuerHost the host of Entra v1.0 issuers, without path
   * @param trustedHosts where the token may go, as {@link TrustPolicy} patterns
   * @param teamsServiceUrl the Teams service URL for a conversation created from scratch, or {@code
   *     null}
   * @throws IllegalArgumentException when a URL is not {@code https} (or {@code http} to loopback),
   *     a host URL has a path, the tenant is not a tenant id or domain, or a host pattern is
   *     invalid
   */
  public Cloud {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a cloud needs a name");
    }
    requireHostUrl(loginEndpoint, "loginEndpoint");
    requireTenant(loginTenant);
    Objects.requireNonNull(scope, "scope");
    if (scope.isBlank()) {
      throw new IllegalArgumentException("scope must not be blank");
    }
    Objects.requireNonNull(channelIssuer, "channelIssuer");
    if (channelIssuer.isBlank()) {
      throw new IllegalArgumentException("channelIssuer must not be blank");
    }
    requireUrl(channelOpenIdMetadata, "channelOpenIdMetadata");
    requireHostUrl(entraV1IssuerHost, "entraV1IssuerHost");
    trustedHosts = new TrustPolicy(trustedHosts).trustedHosts();
    if (teamsServiceUrl != null) {
      ServiceUrl.parse(teamsServiceUrl.toString());
    }
  }

  /**
   * A preset by name, as the CLI takes it: {@code public}, {@code us-gov} (also {@code gcc-high}),
   * {@code us-dod} (also {@code dod}), {@code china}; case-insensitive.
   *
   * @param name the name
   * @return the preset
   * @throws IllegalArgumentException for another name
   */
  public static Cloud named(String name) {
    return switch (Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT)) {
      case "public" -> PUBLIC;
      case "us-gov", "gcc-high" -> US_GOV;
      case "us-dod", "dod" -> US_DOD;
      case "china" -> CHINA;
      default ->
          throw new IllegalArgumentException(
              "unknown cloud '"
                  + (name.length() <= 40 ? name : name.substring(0, 40) + "…")
                  + "': public, us-gov (gcc-high), us-dod (dod) or china");
    };
  }

  /**
   * The token endpoint of a tenant: {@code <loginEndpoint>/<tenant>/oauth2/v2.0/token}.
   *
   * @param tenant the tenant id or domain, or {@code null} for {@link #loginTenant()} (multi-tenant
   *     bots)
   * @return the URL
   * @throws IllegalArgumentException when the tenant is not a tenant id or domain
   */
  public URI tokenEndpoint(@Nullable String tenant) {
    String t = tenant == null ? loginTenant : requireTenant(tenant);
    return URI.create(loginEndpoint + "/" + t + "/oauth2/v2.0/token");
  }

  /**
   * The trust policy of this cloud's hosts.
   *
   * @return the policy
   */
  public TrustPolicy trustPolicy() {
    return new TrustPolicy(trustedHosts);
  }

  /**
   * The issuer of an Entra ID v1.0 token of a tenant: {@code <entraV1IssuerHost>/<tenant>/}.
   *
   * @param tenantId the tenant id (GUID)
   * @return the issuer
   * @throws IllegalArgumentException when the tenant is not a lower-case GUID
   */
  public String entraV1Issuer(String tenantId) {
    return entraV1IssuerHost + "/" + requireTenantId(tenantId) + "/";
  }

  /**
   * The issuer of an Entra ID v2.0 token of a tenant: {@code <loginEndpoint>/<tenant>/v2.0}.
   *
   * @param tenantId the tenant id (GUID)
   * @return the issuer
   * @throws IllegalArgumentException when the tenant is not a lower-case GUID
   */
  public String entraV2Issuer(String tenantId) {
    return loginEndpoint + "/" + requireTenantId(tenantId) + "/v2.0";
  }

  /**
   * The tenant's v1.0 discovery document: {@code
   * <loginEndpoint>/<tenant>/.well-known/openid-configuration}.
   *
   * @param tenantId the tenant id (GUID)
   * @return the URL
   * @throws IllegalArgumentException when the tenant is not a lower-case GUID
   */
  public URI entraV1OpenIdMetadata(String tenantId) {
    return URI.create(
        loginEndpoint + "/" + requireTenantId(tenantId) + "/.well-known/openid-configuration");
  }

  /**
   * The tenant's v2.0 discovery document: {@code
   * <loginEndpoint>/<tenant>/v2.0/.well-known/openid-configuration}.
   *
   * @param tenantId the tenant id (GUID)
   * @return the URL
   * @throws IllegalArgumentException when the tenant is not a lower-case GUID
   */
  public URI entraV2OpenIdMetadata(String tenantId) {
    return URI.create(
        loginEndpoint + "/" + requireTenantId(tenantId) + "/v2.0/.well-known/openid-configuration");
  }

  /**
   * A copy with another token host (a local fake token server, for tests).
   *
   * @param value the host URL, without path
   * @return the copy
   */
  public Cloud withLoginEndpoint(URI value) {
    return new Cloud(
        name,
        value,
        loginTenant,
        scope,
        channelIssuer,
        channelOpenIdMetadata,
        entraV1IssuerHost,
        trustedHosts,
        teamsServiceUrl);
  }

  /**
   * A copy that trusts other hosts too.
   *
   * @param patterns hosts or {@code *.suffix} patterns
   * @return the copy
   */
  public Cloud withTrustedHosts(List<String> patterns) {
    List<String> all = new java.util.ArrayList<>(trustedHosts);
    all.addAll(patterns);
    return new Cloud(
        name,
        loginEndpoint,
        loginTenant,
        scope,
        channelIssuer,
        channelOpenIdMetadata,
        entraV1IssuerHost,
        all,
        teamsServiceUrl);
  }

  /**
   * Whether a tenant is an Entra tenant id as tokens carry it in {@code tid}: a lower-case GUID.
   * The multi-tenant aliases {@code common}, {@code organizations} and {@code consumers} are not.
   *
   * @param tenantId the candidate
   * @return whether it is one
   */
  public static boolean isTenantId(@Nullable String tenantId) {
    return tenantId != null && GUID.matcher(tenantId).matches();
  }

  private static String requireTenantId(String tenantId) {
    if (!isTenantId(tenantId)) {
      throw new IllegalArgumentException(
          "a tenant id is a lower-case GUID (not common, organizations, consumers or a domain)");
    }
    return tenantId;
  }

  private static String requireTenant(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (!TENANT.matcher(tenant).matches() || tenant.contains("..")) {
      throw new IllegalArgumentException("a tenant is a tenant id (GUID) or a domain name");
    }
    return tenant;
  }

  private static void requireUrl(URI uri, String what) {
    Objects.requireNonNull(uri, what);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    boolean ok =
        host != null
            && uri.getRawUserInfo() == null
            && uri.getRawQuery() == null
            && uri.getRawFragment() == null
            && (scheme.equals("https")
                || (scheme.equals("http") && ServiceUrl.isLoopbackHost(host)));
    if (!ok) {
      throw new IllegalArgumentException(
          what
              + " must be an https URL (http only to a loopback address), without user info,"
              + " query or fragment");
    }
  }

  private static void requireHostUrl(URI uri, String what) {
    requireUrl(uri, what);
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty()) {
      throw new IllegalArgumentException(what + " is a scheme and host, without a path");
    }
  }
}
