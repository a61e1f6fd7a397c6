package dev.beckon.auth;

import java.util.concurrent.CompletableFuture;

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
}
