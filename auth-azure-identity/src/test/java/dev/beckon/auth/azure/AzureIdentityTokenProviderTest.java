package dev.beckon.auth.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import dev.beckon.auth.TokenException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The adapter itself, over a hand-made TokenCredential: scope, cache, single flight, failures. */
class AzureIdentityTokenProviderTest {

  private final AtomicInteger calls = new AtomicInteger();
  private final List<List<String>> scopes = new CopyOnWriteArrayList<>();

  private TokenCredential issuing(Duration lifetime) {
    return (TokenRequestContext ctx) -> {
      scopes.add(ctx.getScopes());
      return Mono.fromSupplier(
          () ->
              new AccessToken(
                  "azure-token-" + calls.incrementAndGet(),
                  OffsetDateTime.now(ZoneOffset.UTC).plus(lifetime)));
    };
  }

  private static TokenCredential failing(RuntimeException e) {
    return ctx -> Mono.error(e);
  }

  private static TokenException failure(AzureIdentityTokenProvider p) {
    try {
      p.token().join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(TokenException.class);
      return (TokenException) e.getCause();
    }
    throw new AssertionError("no failure");
  }

  @Test
  void asksForThePublicBotFrameworkScopeByDefaultAndTheGivenOneOtherwise() {
    AzureIdentityTokenProvider p = AzureIdentityTokenProvider.of(issuing(Duration.ofHours(1)));
    assertThat(p.token().join().value()).isEqualTo("azure-token-1");
    AzureIdentityTokenProvider gov =
        AzureIdentityTokenProvider.builder(issuing(Duration.ofHours(1)))
            .scope("https://api.botframework.us/.default")
            .build();
    gov.token().join();
    assertThat(scopes)
        .containsExactly(
            List.of("https://api.botframework.com/.default"),
            List.of("https://api.botframework.us/.default"));
  }

  @Test
  void aFreshTokenIsCachedAndConcurrentCallersShareOneRequest() {
    Sinks.One<AccessToken> pending = Sinks.one();
    AtomicInteger asked = new AtomicInteger();
    AzureIdentityTokenProvider p =
        AzureIdentityTokenProvider.of(
            ctx -> {
              asked.incrementAndGet();
              return pending.asMono();
            });
    List<CompletableFuture<dev.beckon.auth.AccessToken>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(p.token());
    }
    pending.tryEmitValue(
        new AccessToken("shared", OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
    all.forEach(f -> assertThat(f.join().value()).isEqualTo("shared"));
    assertThat(p.token().join().value()).isEqualTo("shared");
    assertThat(asked).hasValue(1);
  }

  @Test
  void aTokenAboutToExpireIsReplaced() {
    AzureIdentityTokenProvider p = AzureIdentityTokenProvider.of(issuing(Duration.ofMinutes(2)));
    assertThat(p.token().join().value()).isEqualTo("azure-token-1");
    assertThat(p.token().join().value()).isEqualTo("azure-token-2");
  }

  @Test
  void unavailableAndRefusedCredentialsAreNotRetryableOthersAre() {
    TokenException unavailable =
        failure(
            AzureIdentityTokenProvider.of(
                failing(new CredentialUnavailableException("no managed identity endpoint"))));
    assertThat(unavailable.retryable()).isFalse();
    assertThat(unavailable.getMessage())
        .contains("is unavailable here")
        .contains("CredentialUnavailableException")
        .contains("no managed identity endpoint")
        .contains("https://api.botframework.com/.default");

    TokenException refused =
        failure(
            AzureIdentityTokenProvider.of(
                failing(new ClientAuthenticationException("AADSTS700016", null))));
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.getMessage()).contains("AADSTS700016");

    TokenException network =
        failure(AzureIdentityTokenProvider.of(failing(new IllegalStateException("reset"))));
    assertThat(network.retryable()).isTrue();
  }

  @Test
  void aCredentialThatNeverAnswersTimesOut() {
    AzureIdentityTokenProvider p =
        AzureIdentityTokenProvider.builder(ctx -> Mono.never())
            .timeout(Duration.ofMillis(200))
            .build();
    TokenException e = failure(p);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("timed out");
  }

  @Test
  void longOrControlCharacterMessagesAreCutAndCleaned() {
    String hostile = "bad\u0000\nline " + "x".repeat(5000);
    TokenException e =
        failure(AzureIdentityTokenProvider.of(failing(new IllegalStateException(hostile))));
    assertThat(e.getMessage()).hasSizeLessThan(600).doesNotContain("\u0000").doesNotContain("\n");
  }

  @Test
  void anEmptyTokenIsRefused() {
    TokenException e =
        failure(
            AzureIdentityTokenProvider.of(
                ctx ->
                    Mono.just(
                        new AccessToken("", OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)))));
    assertThat(e.getMessage()).contains("empty token");
  }

  @Test
  void toStringNamesTheCredentialTypeAndScopeOnly() {
    AzureIdentityTokenProvider p = AzureIdentityTokenProvider.of(issuing(Duration.ofHours(1)));
    p.token().join();
    assertThat(p.toString())
        .contains("scope=https://api.botframework.com/.default")
        .doesNotContain("azure-token");
    assertThatThrownBy(() -> AzureIdentityTokenProvider.builder(issuing(Duration.ZERO)).scope(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> AzureIdentityTokenProvider.builder(issuing(Duration.ZERO)).timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
