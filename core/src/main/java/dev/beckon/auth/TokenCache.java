package dev.beckon.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A token kept until {@link #REFRESH_BEFORE} before it expires, then fetched again: one fetch is in
 * flight at a time for all callers (single-flight); a failed fetch is not cached. Thread-safe.
 */
final class TokenCache {

  /** How long before its expiry a cached token is replaced. */
  public static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

  private final Supplier<CompletableFuture<AccessToken>> fetch;
  private final Clock clock;
  private @Nullable AccessToken cached;
  private @Nullable CompletableFuture<AccessToken> inFlight;

  /**
   * Creates the cache; fetches nothing yet.
   *
   * @param fetch starts one fetch of a fresh token
   * @param clock the clock expiry is measured with
   */
  public TokenCache(Supplier<CompletableFuture<AccessToken>> fetch, Clock clock) {
    this.fetch = fetch;
    this.clock = clock;
  }

  /**
   * The cached token while it is fresh, else the fetch in flight, else a new fetch.
   *
   * @return the token, or a future failed with the fetch's failure
   */
  public synchronized CompletableFuture<AccessToken> token() {
    AccessToken t = cached;
    if (t != null && clock.instant().isBefore(t.expiresAt().minus(REFRESH_BEFORE))) {
      return CompletableFuture.completedFuture(t);
    }
    CompletableFuture<AccessToken> f = inFlight;
    if (f == null) {
      CompletableFuture<AccessToken> fetching;
      try {
        fetching = fetch.get();
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
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
}
