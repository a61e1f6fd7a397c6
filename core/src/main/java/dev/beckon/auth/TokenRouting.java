package dev.beckon.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One sender, many apps: a token provider per app id (and tenant), chosen per reference by its
 * {@link TokenRoute} — Beckon's counterpart of the Agents SDK's {@code ConnectionsMap}.
 *
 * <pre>{@code
 * TokenRouting tokens = TokenProvider.routing()
 *     .app(appIdA, credentialsA)                  // app A, any tenant
 *     .app(appIdB, tenantX, credentialsBinX)      // app B in tenant X (single-tenant)
 *     .app(appIdB, credentialsB)                  // app B elsewhere
 *     .fallback(defaultCredentials)               // optional
 *     .build();
 * BotConnectorSender sender = BotConnectorSender.builder().credentials(tokens).build();
 * }</pre>
 *
 * <p>A send chooses, for the reference's app id and tenant: the provider registered for both; else
 * the one registered for the app in any tenant; else the fallback. A reference whose app is not
 * registered (or that names no app) with no fallback is not sent: the sender answers {@code
 * REJECTED} with error code {@code NoTokenRoute}, before any token is fetched or connection opened.
 * It never borrows another app's token. {@link #token()} (a caller that has no reference) is the
 * fallback's, or fails with a non-retryable {@link TokenException}.
 *
 * <p>Immutable and thread-safe; {@code toString} names the app ids and tenants, never a secret.
 */
public final class TokenRouting implements TokenProvider {

  private final Map<TokenRoute, TokenProvider> routes;
  private final @Nullable TokenProvider fallback;

  private TokenRouting(Builder b) {
    this.routes = Map.copyOf(b.routes);
    this.fallback = b.fallback;
  }

  /**
   * Starts a builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The provider for a route: app and tenant, else the app in any tenant, else the fallback.
   *
   * @param route the route of a reference
   * @return the provider, or empty when neither the app is registered nor a fallback is set
   */
  public Optional<TokenProvider> select(TokenRoute route) {
    Objects.requireNonNull(route, "route");
    if (route.appId() != null) {
      if (route.tenantId() != null) {
        TokenProvider p = routes.get(route);
        if (p != null) {
          return Optional.of(p);
        }
      }
      TokenProvider p = routes.get(new TokenRoute(route.appId(), null));
      if (p != null) {
        return Optional.of(p);
      }
    }
    return Optional.ofNullable(fallback);
  }

  /**
   * The fallback's token.
   *
   * @return the fallback's token, or a future failed with a non-retryable {@link TokenException}
   *     when there is no fallback
   */
  @Override
  public CompletableFuture<AccessToken> token() {
    if (fallback == null) {
      return CompletableFuture.failedFuture(
          new TokenException(
              "no fallback token provider: a routed send chooses one by the reference's app id",
              false,
              null));
    }
    return fallback.token();
  }

  @Override
  public String toString() {
    return "TokenRouting"
        + new java.util.TreeSet<>(
            routes.keySet().stream()
                .map(r -> r.appId() + (r.tenantId() == null ? "" : "@" + r.tenantId()))
                .toList())
        + (fallback == null ? "" : " + fallback");
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final Map<TokenRoute, TokenProvider> routes = new HashMap<>();
    private @Nullable TokenProvider fallback;

    private Builder() {}

    /**
     * The provider for an app in any tenant.
     *
     * @param appId the app id
     * @param provider its tokens
     * @return this builder
     * @throws IllegalArgumentException when the app id is blank or already registered
     */
    public Builder app(String appId, TokenProvider provider) {
      return put(appId, null, provider);
    }

    /**
     * The provider for an app in one tenant (a single-tenant app, or an app with one credential per
     * tenant).
     *
     * @param appId the app id
     * @param tenantId the tenant
     * @param provider its tokens
     * @return this builder
     * @throws IllegalArgumentException when an id is blank or the pair is already registered
     */
    public Builder app(String appId, String tenantId, TokenProvider provider) {
      Objects.requireNonNull(tenantId, "tenantId");
      if (tenantId.isBlank()) {
        throw new IllegalArgumentException("tenantId must not be blank");
      }
      return put(appId, tenantId, provider);
    }

    private Builder put(String appId, @Nullable String tenantId, TokenProvider provider) {
      Objects.requireNonNull(appId, "appId");
      Objects.requireNonNull(provider, "provider");
      if (appId.isBlank()) {
        throw new IllegalArgumentException("appId must not be blank");
      }
      TokenRoute key = new TokenRoute(appId, tenantId);
      if (routes.putIfAbsent(key, provider) != null) {
        throw new IllegalArgumentException(
            "app "
                + appId
                + (tenantId == null ? "" : " in tenant " + tenantId)
                + " is already registered");
      }
      return this;
    }

    /**
     * The provider for references whose app is not registered or who name no app (default: none,
     * such a send is {@code REJECTED} with {@code NoTokenRoute}).
     *
     * @param provider the default tokens
     * @return this builder
     */
    public Builder fallback(TokenProvider provider) {
      this.fallback = Objects.requireNonNull(provider, "fallback");
      return this;
    }

    /**
     * Builds the routing provider.
     *
     * @return the provider
     * @throws IllegalStateException when nothing is registered
     */
    public TokenRouting build() {
      if (routes.isEmpty() && fallback == null) {
        throw new IllegalStateException("register at least one app(...) or a fallback(...)");
      }
      return new TokenRouting(this);
    }
  }
}
