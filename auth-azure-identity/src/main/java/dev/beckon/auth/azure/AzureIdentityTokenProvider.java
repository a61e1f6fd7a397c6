package dev.beckon.auth.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import dev.beckon.auth.AccessToken;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.TokenException;
import dev.beckon.auth.TokenProvider;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * The bot's outbound token from any azure-identity {@link TokenCredential}, for the Bot Framework
 * scope of the chosen cloud: every Entra identity through the library Microsoft keeps.
 *
 * <pre>{@code
 * // system-assigned managed identity (App Service, Functions, VMs, Container Apps)
 * TokenProvider mi = AzureIdentityTokenProvider.of(new ManagedIdentityCredentialBuilder().build());
 * // user-assigned managed identity: its client id is the bot's app id
 * TokenProvider uami = AzureIdentityTokenProvider.of(
 *     new ManagedIdentityCredentialBuilder().clientId(appId).build());
 * // workload identity on AKS (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE)
 * TokenProvider aks = AzureIdentityTokenProvider.of(new WorkloadIdentityCredentialBuilder().build());
 * // federation from another cloud's OIDC token (AWS, GCP, GitHub Actions)
 * TokenProvider fed = AzureIdentityTokenProvider.of(new ClientAssertionCredentialBuilder()
 *     .tenantId(tenantId).clientId(appId).clientAssertion(() -> oidcTokenFromMyCloud()).build());
 * }</pre>
 *
 * <p>Tokens are cached as {@link ClientCredentials} caches them ({@link TokenProvider#cached}):
 * kept until five minutes before they expire, one refresh at a time for all callers. A failure is a
 * {@link TokenException}: not retryable when the credential is unavailable in this environment or
 * Entra refused it, retryable otherwise (network, throttling, a timeout). Messages name the
 * credential type and scope, never a token or a secret. Thread-safe.
 */
public final class AzureIdentityTokenProvider implements TokenProvider {

  /** Bot Framework scope of the public cloud: the default. */
  public static final String PUBLIC_SCOPE = ClientCredentials.PUBLIC_SCOPE;

  private static final int MAX_CAUSE_MESSAGE = 300;

  private final TokenCredential credential;
  private final String scope;
  private final Duration timeout;
  private final TokenProvider cache;

  private AzureIdentityTokenProvider(Builder b) {
    this.credential = b.credential;
    this.scope = b.scope;
    this.timeout = b.timeout;
    TokenRequestContext context = new TokenRequestContext().addScopes(scope);
    this.cache = TokenProvider.cached(() -> fetch(context));
  }

  /**
   * A provider for the public cloud's Bot Framework scope, with the default timeout.
   *
   * @param credential any azure-identity credential
   * @return the provider; makes no request yet
   */
  public static AzureIdentityTokenProvider of(TokenCredential credential) {
    return builder(credential).build();
  }

  /**
   * Starts a builder.
   *
   * @param credential any azure-identity credential
   * @return the builder
   */
  public static Builder builder(TokenCredential credential) {
    return new Builder(credential);
  }

  @Override
  public CompletableFuture<AccessToken> token() {
    return cache.token();
  }

  private CompletableFuture<AccessToken> fetch(TokenRequestContext context) {
    CompletableFuture<AccessToken> result = new CompletableFuture<>();
    Mono.defer(() -> credential.getToken(context))
        .timeout(timeout)
        .subscribe(
            t -> {
              if (t.getToken() == null || t.getToken().isEmpty() || t.getExpiresAt() == null) {
                result.completeExceptionally(
                    new TokenException(describe() + " returned an empty token", false, null));
              } else {
                result.complete(new AccessToken(t.getToken(), t.getExpiresAt().toInstant()));
              }
            },
            e -> result.completeExceptionally(failure(e)),
            () -> {
              if (!result.isDone()) {
                result.completeExceptionally(
                    new TokenException(describe() + " returned no token", true, null));
              }
            });
    return result;
  }

  private TokenException failure(Throwable e) {
    if (e instanceof TimeoutException) {
      return new TokenException(describe() + " timed out after " + timeout, true, e);
    }
    boolean permanent =
        e instanceof CredentialUnavailableException || e instanceof ClientAuthenticationException;
    String why = e.getMessage() == null ? "" : ": " + shortened(e.getMessage());
    return new TokenException(
        describe()
            + (e instanceof CredentialUnavailableException ? " is unavailable here" : " failed")
            + " ("
            + e.getClass().getSimpleName()
            + ")"
            + why,
        !permanent,
        e);
  }

  private String describe() {
    return credential.getClass().getSimpleName() + " for scope " + scope;
  }

  // the library's message, printable and bounded (it may quote a token endpoint's answer)
  private static String shortened(String message) {
    String printable = message.replaceAll("[^ -~]", " ");
    return printable.length() <= MAX_CAUSE_MESSAGE
        ? printable
        : printable.substring(0, MAX_CAUSE_MESSAGE) + "...";
  }

  @Override
  public String toString() {
    return "AzureIdentityTokenProvider[credential="
        + credential.getClass().getSimpleName()
        + ", scope="
        + scope
        + "]";
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final TokenCredential credential;
    private String scope = PUBLIC_SCOPE;
    private Duration timeout = Duration.ofSeconds(30);

    private Builder(TokenCredential credential) {
      this.credential = Objects.requireNonNull(credential, "credential");
    }

    /**
     * The scope tokens are asked for (default {@link #PUBLIC_SCOPE}; the US Government cloud's is
     * {@link ClientCredentials#GOV_SCOPE}).
     *
     * @param value e.g. {@code https://api.botframework.com/.default}
     * @return this builder
     */
    public Builder scope(String value) {
      Objects.requireNonNull(value, "scope");
      if (value.isBlank()) {
        throw new IllegalArgumentException("scope must not be blank");
      }
      this.scope = value;
      return this;
    }

    /**
     * How long one token request may take, the credential's own retries included (default 30 s).
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder timeout(Duration value) {
      Objects.requireNonNull(value, "timeout");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("timeout must be positive but was " + value);
      }
      this.timeout = value;
      return this;
    }

    /**
     * Builds the provider; makes no request yet.
     *
     * @return the provider
     */
    public AzureIdentityTokenProvider build() {
      return new AzureIdentityTokenProvider(this);
    }
  }
}
