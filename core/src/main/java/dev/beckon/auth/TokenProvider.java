package dev.beckon.auth;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Where the bot's outbound token comes from. Implementations cache and refresh; they are called
 * before every send and must be cheap when a valid token is cached. Thread-safe.
 */
@FunctionalInterface
public interface TokenProvider {

  /**
   * A token valid for at least a few minutes.
   *
   * @return the token, or a future failed with {@link TokenException}
   */
  CompletableFuture<AccessToken> token();

  /**
   * A provider over a token source of your own, with the cache {@link ClientCredentials} uses: a
   * token is kept until five minutes before it expires, one fetch is in flight at a time for all
   * callers, and a failed fetch is not kept (the next call fetches again).
   *
   * @param fetch starts one fetch of a fresh token; its future should fail with {@link
   *     TokenException}
   * @return the caching provider
   */
  static TokenProvider cached(Supplier<CompletableFuture<AccessToken>> fetch) {
    TokenCache cache =
        new TokenCache(java.util.Objects.requireNonNull(fetch, "fetch"), Clock.systemUTC());
    return cache::token;
  }

  /**
   * Starts a provider per app id (and tenant), chosen per reference: see {@link TokenRouting}.
   *
   * @return the builder
   */
  static TokenRouting.Builder routing() {
    return TokenRouting.builder();
  }
}
