package dev.beckon.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The OAuth2 client-credentials token of a bot's app id, from Microsoft Entra ID (AAD), cached and
 * refreshed about five minutes before it expires. One refresh is in flight at a time for all
 * callers (single-flight), and AAD's 429 and 5xx answers are retried. The answer is read up to a
 * bound (64 KiB): an endless or oversized body fails the refresh instead of filling the heap.
 *
 * <pre>{@code
 * TokenProvider multi  = ClientCredentials.builder(appId, secret).build();                 // multi-tenant
 * TokenProvider single = ClientCredentials.builder(appId, secret).tenant(tenantId).build(); // single-tenant
 * TokenProvider gov    = ClientCredentials.builder(appId, secret).usGovernment().build();
 * // no secret: a client assertion signed with the app's certificate (PS256, x5t#S256 and x5t)
 * TokenProvider cert   = ClientCredentials.builder(appId, ClientCertificate.fromPkcs12(p12, password))
 *     .tenant(tenantId).build();
 * }</pre>
 *
 * <p>With a {@link ClientCertificate}, every token request carries a fresh assertion (issuer and
 * subject the app id, audience the token endpoint, a new {@code jti}, valid ten minutes) signed
 * with the certificate's key; nothing else changes: the same cache, single-flight refresh, retries
 * and bounds.
 *
 * <p>Thread-safe. The secret and the private key never appear in {@link #toString()}, logs or
 * exception messages.
 */
public final class ClientCredentials implements TokenProvider {

  /** Token endpoint of multi-tenant bots (public cloud); {@link Cloud#PUBLIC} holds the same. */
  public static final String PUBLIC_AUTHORITY =
      "https://login.microsoftonline.com/botframework.com";

  /** Bot Framework scope (public cloud). */
  public static final String PUBLIC_SCOPE = "https://api.botframework.com/.default";

  /** US Government authority. */
  public static final String GOV_AUTHORITY =
      "https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us";

  /** US Government scope. */
  public static final String GOV_SCOPE = "https://api.botframework.us/.default";

  /** How a certificate credential signs its client assertion. */
  public enum AssertionAlgorithm {
    /** RSASSA-PSS with SHA-256: what Entra ID recommends, the default. */
    PS256,
    /** RSASSA-PKCS1-v1_5 with SHA-256: for endpoints that do not take PS256. */
    RS256
  }

  private static final String ASSERTION_TYPE =
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private final String appId;
  private final @Nullable String secret;
  private final @Nullable ClientCertificate certificate;
  private final AssertionAlgorithm algorithm;
  private final boolean sendChain;
  private final Clock clock;
  private final String scope;
  private final Cloud cloud;
  private final TokenEndpoint endpoint;
  private final TokenCache cache;

  private ClientCredentials(Builder b) {
    this.appId = b.appId;
    this.secret = b.secret;
    this.certificate = b.certificate;
    this.algorithm = b.algorithm;
    this.sendChain = b.sendChain;
    this.clock = b.clock;
    this.scope = b.scope != null ? b.scope : b.cloud.scope();
    this.cloud = b.cloud;
    this.endpoint =
        new TokenEndpoint(
            b.tokenEndpoint != null ? b.tokenEndpoint : b.cloud.tokenEndpoint(b.tenant),
            b.appId,
            b.secret != null
                ? "check the app id, the secret and, for single-tenant bots, the tenant"
                : "check the app id, that the certificate is uploaded to the app registration and,"
                    + " for single-tenant bots, the tenant",
            b.clock,
            b.timeout,
            b.maxAttempts);
    this.cache = new TokenCache(() -> endpoint.fetch(this::form), b.clock);
  }

  /**
   * Starts a builder for a multi-tenant bot in the public cloud.
   *
   * @param appId the Microsoft app id
   * @param secret the client secret (never logged)
   * @return the builder
   */
  public static Builder builder(String appId, String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("secret is required");
    }
    return new Builder(appId, secret, null);
  }

  /**
   * Starts a builder for a bot that proves itself with a certificate instead of a secret (a
   * multi-tenant bot in the public cloud until told otherwise).
   *
   * @param appId the Microsoft app id
   * @param certificate the app's key and certificate, uploaded to its app registration
   * @return the builder
   */
  public static Builder builder(String appId, ClientCertificate certificate) {
    return new Builder(appId, null, Objects.requireNonNull(certificate, "certificate"));
  }

  @Override
  public CompletableFuture<AccessToken> token() {
    return cache.token();
  }

  /**
   * The cloud chosen with {@link Builder#cloud(Cloud)} ({@link Cloud#PUBLIC} unless told
   * otherwise).
   *
   * @return the cloud
   */
  public Cloud cloud() {
    return cloud;
  }

  /**
   * The scope tokens are asked for.
   *
   * @return e.g. {@code https://api.botframework.com/.default}
   */
  public String scope() {
    return scope;
  }

  /**
   * The URL tokens are asked from.
   *
   * @return e.g. {@code https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token}
   */
  public URI tokenEndpoint() {
    return endpoint.uri();
  }

  private String form() {
    String proof;
    ClientCertificate c = certificate;
    if (c != null) {
      proof =
          "&client_assertion_type="
              + enc(ASSERTION_TYPE)
              + "&client_assertion="
              + ClientAssertion.sign(
                  c, algorithm, sendChain, appId, endpoint.uri(), clock.instant());
    } else {
      proof = "&client_secret=" + enc(Objects.requireNonNull(secret));
    }
    return "grant_type=client_credentials&client_id=" + enc(appId) + proof + "&scope=" + enc(scope);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ClientCredentials[appId="
        + appId
        + ", endpoint="
        + endpoint.uri()
        + ", scope="
        + scope
        + (certificate != null
            ? ", certificate="
                + certificate.certificate().getSubjectX500Principal().getName()
                + ", x5t#S256="
                + certificate.sha256Thumbprint()
                + ", key=***]"
            : ", secret=***]");
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final String appId;
    private final @Nullable String secret;
    private final @Nullable ClientCertificate certificate;
    private AssertionAlgorithm algorithm = AssertionAlgorithm.PS256;
    private boolean sendChain;
    private Cloud cloud = Cloud.PUBLIC;
    private @Nullable String tenant;
    private @Nullable String scope;
    private @Nullable URI tokenEndpoint;
    private Clock clock = Clock.systemUTC();
    private Duration timeout = Duration.ofSeconds(10);
    private int maxAttempts = 3;

    private Builder(
        String appId, @Nullable String secret, @Nullable ClientCertificate certificate) {
      if (appId == null || appId.isBlank()) {
        throw new IllegalArgumentException("appId is required");
      }
      this.appId = appId;
      this.secret = secret;
      this.certificate = certificate;
    }

    /**
     * How the client assertion is signed (certificate credentials only; default {@link
     * AssertionAlgorithm#PS256}).
     *
     * @param value the algorithm
     * @return this builder
     * @throws IllegalStateException if this builder has a secret, not a certificate
     */
    public Builder assertionAlgorithm(AssertionAlgorithm value) {
      requireCertificate("assertionAlgorithm");
      this.algorithm = Objects.requireNonNull(value, "assertionAlgorithm");
      return this;
    }

    /**
     * Sends the certificate chain in the assertion's {@code x5c} header (certificate credentials
     * only), as subject-name-and-issuer authentication needs; off by default.
     *
     * @return this builder
     * @throws IllegalStateException if this builder has a secret, not a certificate
     */
    public Builder sendCertificateChain() {
      requireCertificate("sendCertificateChain");
      this.sendChain = true;
      return this;
    }

    private void requireCertificate(String option) {
      if (certificate == null) {
        throw new IllegalStateException(option + " applies to certificate credentials only");
      }
    }

    /**
     * A single-tenant bot: tokens from its own tenant, in the chosen {@link #cloud(Cloud)} (the
     * order of the two calls does not matter).
     *
     * @param tenantId the tenant id (GUID) or domain
     * @return this builder
     * @throws IllegalArgumentException when it is neither (it becomes a segment of the token URL)
     */
    public Builder tenant(String tenantId) {
      Cloud.PUBLIC.tokenEndpoint(Objects.requireNonNull(tenantId, "tenantId"));
      this.tenant = tenantId;
      return this;
    }

    /**
     * The cloud: its token host, its multi-tenant tenant unless {@link #tenant(String)} names one,
     * and its scope unless {@link #scope(String)} overrides it (default {@link Cloud#PUBLIC}).
     *
     * @param value the cloud
     * @return this builder
     */
    public Builder cloud(Cloud value) {
      this.cloud = Objects.requireNonNull(value, "cloud");
      return this;
    }

    /**
     * The US Government cloud (authority and scope): the same as {@code cloud(Cloud.US_GOV)}.
     *
     * @return this builder
     */
    public Builder usGovernment() {
      return cloud(Cloud.US_GOV);
    }

    /**
     * Overrides the token endpoint (tests, sovereign clouds).
     *
     * @param value the full token URL
     * @return this builder
     */
    public Builder tokenEndpoint(URI value) {
      this.tokenEndpoint = Objects.requireNonNull(value, "tokenEndpoint");
      return this;
    }

    /**
     * Overrides the scope.
     *
     * @param value e.g. {@code https://api.botframework.com/.default}
     * @return this builder
     */
    public Builder scope(String value) {
      this.scope = Objects.requireNonNull(value, "scope");
      return this;
    }

    /**
     * The clock used for expiry (tests).
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Timeout of one token request, connection and answer included (default 10 s).
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder timeout(Duration value) {
      this.timeout = Objects.requireNonNull(value, "timeout");
      return this;
    }

    /**
     * Attempts per refresh on 429/5xx/network failures (default 3).
     *
     * @param value 1 to 10
     * @return this builder
     */
    public Builder maxAttempts(int value) {
      if (value < 1 || value > 10) {
        throw new IllegalArgumentException("maxAttempts must be 1..10 but was " + value);
      }
      this.maxAttempts = value;
      return this;
    }

    /**
     * Builds the provider; makes no request yet.
     *
     * @return the provider
     */
    public ClientCredentials build() {
      return new ClientCredentials(this);
    }
  }
}
