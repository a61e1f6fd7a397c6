package dev.beckon.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.internal.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The OAuth2 client-credentials token of a bot's app id, from Microsoft Entra ID (AAD), cached and
 * refreshed about five minutes before it expires. One refresh is in flight at a time for all
 * callers (single-flight), and AAD's 429 and 5xx answers are retried.
 *
 * <pre>{@code
 * TokenProvider multi  = ClientCredentials.builder(appId, secret).build();                 // multi-tenant
 * TokenProvider single = ClientCredentials.builder(appId, secret).tenant(tenantId).build(); // single-tenant
 * TokenProvider gov    = ClientCredentials.builder(appId, secret).usGovernment().build();
 * }</pre>
 *
 * <p>Thread-safe. The secret never appears in {@link #toString()}, logs or exception messages.
 */
public final class ClientCredentials implements TokenProvider {

  /** Token endpoint of multi-tenant bots (public cloud). */
  public static final String PUBLIC_AUTHORITY =
      "https://login.microsoftonline.com/botframework.com";

  /** Bot Framework scope (public cloud). */
  public static final String PUBLIC_SCOPE = "https://api.botframework.com/.default";

  /** US Government authority. */
  public static final String GOV_AUTHORITY =
      "https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us";

  /** US Government scope. */
  public static final String GOV_SCOPE = "https://api.botframework.us/.default";

  private static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

  private final String appId;
  private final String secret;
  private final URI tokenEndpoint;
  private final String scope;
  private final Clock clock;
  private final Duration timeout;
  private final HttpClient http;
  private final int maxAttempts;
  private @Nullable AccessToken cached;
  private @Nullable CompletableFuture<AccessToken> inFlight;

  private ClientCredentials(Builder b) {
    this.appId = b.appId;
    this.secret = b.secret;
    this.tokenEndpoint =
        b.tokenEndpoint != null ? b.tokenEndpoint : URI.create(b.authority + "/oauth2/v2.0/token");
    this.scope = b.scope;
    this.clock = b.clock;
    this.timeout = b.timeout;
    this.maxAttempts = b.maxAttempts;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(b.timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Starts a builder for a multi-tenant bot in the public cloud.
   *
   * @param appId the Microsoft app id
   * @param secret the client secret (never logged)
   * @return the builder
   */
  public static Builder builder(String appId, String secret) {
    return new Builder(appId, secret);
  }

  @Override
  public synchronized CompletableFuture<AccessToken> token() {
    AccessToken t = cached;
    if (t != null && clock.instant().isBefore(t.expiresAt().minus(REFRESH_BEFORE))) {
      return CompletableFuture.completedFuture(t);
    }
    CompletableFuture<AccessToken> f = inFlight;
    if (f == null) {
      CompletableFuture<AccessToken> fetching = fetch(1);
      inFlight = fetching;
      // may run at once, on this thread, when the fetch is already done: return the local, never
      // the field it clears (that returned null to the caller)
      // a cleanup stage: the caller waits on fetching itself
      var unused =
          fetching.whenComplete(
              (token, error) -> {
                synchronized (this) {
                  if (token != null) {
                    cached = token;
                  }
                  if (inFlight == fetching) {
                    inFlight = null;
                  }
                }
              });
      f = fetching;
    }
    return f;
  }

  // handle(...) sees both the answer and a failed exchange, so it yields a nested future that
  // thenCompose flattens at once (exceptionallyCompose would also catch the retries' own failures)
  @SuppressWarnings("FutureReturnValueIgnored")
  private CompletableFuture<AccessToken> fetch(int attempt) {
    String form =
        "grant_type=client_credentials&client_id="
            + enc(appId)
            + "&client_secret="
            + enc(secret)
            + "&scope="
            + enc(scope);
    HttpRequest req =
        HttpRequest.newBuilder(tokenEndpoint)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    Instant asked = clock.instant();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
        .handle(
            (r, e) -> {
              if (e != null) {
                return retryOr(
                    attempt,
                    new TokenException(
                        "token request to "
                            + tokenEndpoint
                            + " failed: "
                            + e.getClass().getSimpleName(),
                        true,
                        null));
              }
              int s = r.statusCode();
              if (s == 200) {
                try {
                  JsonNode body = Json.parse(r.body());
                  String token = body.path("access_token").asText(null);
                  long expiresIn = body.path("expires_in").asLong(3600);
                  if (token == null) {
                    throw new TokenException(
                        "token endpoint " + tokenEndpoint + " answered without access_token",
                        false,
                        null);
                  }
                  return CompletableFuture.completedFuture(
                      new AccessToken(token, asked.plusSeconds(expiresIn)));
                } catch (RuntimeException ex) {
                  if (ex instanceof TokenException te) {
                    return CompletableFuture.<AccessToken>failedFuture(te);
                  }
                  return CompletableFuture.<AccessToken>failedFuture(
                      new TokenException(
                          "token endpoint " + tokenEndpoint + " answered an unreadable body",
                          false,
                          null));
                }
              }
              String code = errorCode(r.body());
              boolean transientError = s == 429 || s >= 500;
              TokenException te =
                  new TokenException(
                      "token request for app id "
                          + appId
                          + " to "
                          + tokenEndpoint
                          + " was refused: HTTP "
                          + s
                          + (code == null ? "" : " " + code)
                          + (s == 400 || s == 401
                              ? " (check the app id, the secret and, for single-tenant bots, the tenant)"
                              : ""),
                      transientError,
                      null);
              return transientError
                  ? retryOr(attempt, te)
                  : CompletableFuture.<AccessToken>failedFuture(te);
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<AccessToken> retryOr(int attempt, TokenException failure) {
    if (attempt >= maxAttempts) {
      return CompletableFuture.failedFuture(failure);
    }
    long delayMs = 200L << (attempt - 1);
    Executor later = CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS);
    return CompletableFuture.runAsync(() -> {}, later).thenCompose(v -> fetch(attempt + 1));
  }

  private static @Nullable String errorCode(String body) {
    try {
      JsonNode n = Json.parse(body);
      return n.path("error").isTextual() ? n.path("error").asText() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ClientCredentials[appId="
        + appId
        + ", endpoint="
        + tokenEndpoint
        + ", scope="
        + scope
        + ", secret=***]";
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final String appId;
    private final String secret;
    private String authority = PUBLIC_AUTHORITY;
    private String scope = PUBLIC_SCOPE;
    private @Nullable URI tokenEndpoint;
    private Clock clock = Clock.systemUTC();
    private Duration timeout = Duration.ofSeconds(10);
    private int maxAttempts = 3;

    private Builder(String appId, String secret) {
      if (appId == null || appId.isBlank()) {
        throw new IllegalArgumentException("appId is required");
      }
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException("secret is required");
      }
      this.appId = appId;
      this.secret = secret;
    }

    /**
     * A single-tenant bot: tokens from its own tenant.
     *
     * @param tenantId the tenant id (GUID) or domain
     * @return this builder
     */
    public Builder tenant(String tenantId) {
      String host =
          authority.startsWith("https://login.microsoftonline.us")
              ? "https://login.microsoftonline.us/"
              : "https://login.microsoftonline.com/";
      this.authority = host + Objects.requireNonNull(tenantId, "tenantId");
      return this;
    }

    /**
     * The US Government cloud (authority and scope).
     *
     * @return this builder
     */
    public Builder usGovernment() {
      this.authority = GOV_AUTHORITY;
      this.scope = GOV_SCOPE;
      return this;
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
     * Connect and response timeout of one token request (default 10 s).
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
