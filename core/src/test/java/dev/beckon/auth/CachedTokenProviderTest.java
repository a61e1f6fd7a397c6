package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** TokenProvider.cached: the cache of ClientCredentials over a token source of one's own. */
class CachedTokenProviderTest {

  @Test
  void keepsAFreshTokenSharesOneFetchAndDoesNotKeepFailures() {
    AtomicInteger fetches = new AtomicInteger();
    CompletableFuture<AccessToken> pending = new CompletableFuture<>();
    TokenProvider p =
        TokenProvider.cached(
            () -> {
              int n = fetches.incrementAndGet();
              if (n == 1) {
                return CompletableFuture.failedFuture(new TokenException("down", true, null));
              }
              return pending;
            });
    assertThatThrownBy(() -> p.token().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(TokenException.class);
    CompletableFuture<AccessToken> a = p.token();
    CompletableFuture<AccessToken> b = p.token();
    pending.complete(new AccessToken("t", Instant.now().plusSeconds(3600)));
    assertThat(a.join().value()).isEqualTo("t");
    assertThat(b.join().value()).isEqualTo("t");
    assertThat(p.token().join().value()).isEqualTo("t");
    assertThat(fetches).hasValue(2);
  }

  @Test
  void aTokenInItsLastFiveMinutesIsFetchedAgain() {
    AtomicInteger fetches = new AtomicInteger();
    TokenProvider p =
        TokenProvider.cached(
            () ->
                CompletableFuture.completedFuture(
                    new AccessToken(
                        "t" + fetches.incrementAndGet(), Instant.now().plusSeconds(240))));
    assertThat(p.token().join().value()).isEqualTo("t1");
    assertThat(p.token().join().value()).isEqualTo("t2");
  }

  @Test
  void aFetchThatThrowsFailsTheFutureInstead() {
    TokenProvider p =
        TokenProvider.cached(
            () -> {
              throw new TokenException("cannot even start", false, null);
            });
    assertThat(p.token()).isCompletedExceptionally();
  }
}
