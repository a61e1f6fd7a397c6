package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.codec.AgentsConversations;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which provider a {@link TokenRouting} chooses, and what a reference's {@link TokenRoute} is. */
class TokenRoutingTest {

  static TokenProvider fixed(String value) {
    return () ->
        CompletableFuture.completedFuture(
            new AccessToken(value, Instant.parse("2100-01-01T00:00:00Z")));
  }

  static ConversationReference teams(String botId, String tenant) {
    return ConversationReference.builder()
        .bot(new ChannelAccount(botId, "Bot", null, null, Map.of()))
        .conversation(
            new ConversationAccount("a:1", null, null, "personal", tenant, null, null, Map.of()))
        .channelId("msteams")
        .serviceUrl("https://smba.trafficmanager.net/emea/")
        .build();
  }

  @Test
  void routesOfReferences() {
    assertThat(TokenRoute.of(teams("28:APP-1", "T-1"))).isEqualTo(new TokenRoute("app-1", "t-1"));
    assertThat(TokenRoute.of(teams("handle@x", "t"))).isEqualTo(new TokenRoute(null, "t"));
    ConversationReference claimed =
        AgentsConversations.withClaims(teams("28:app-1", "t-1"), "app-2", "t-2");
    assertThat(TokenRoute.of(claimed)).as("claims first").isEqualTo(new TokenRoute("app-2", "t-2"));
    assertThat(TokenRoute.of(AgentsConversations.withClaims(teams("x", "t-1"), "app-2", null)))
        .isEqualTo(new TokenRoute("app-2", "t-1"));
    assertThat(new TokenRoute(" ", "")).isEqualTo(new TokenRoute(null, null));
  }

  @Test
  void appAndTenantThenAppThenFallback() {
    TokenProvider a = fixed("a");
    TokenProvider aInT = fixed("a-in-t");
    TokenProvider d = fixed("d");
    TokenRouting r =
        TokenProvider.routing().app("App", a).app("app", "T", aInT).fallback(d).build();
    assertThat(r.select(new TokenRoute("APP", "t"))).containsSame(aInT);
    assertThat(r.select(new TokenRoute("app", "other"))).containsSame(a);
    assertThat(r.select(new TokenRoute("app", null))).containsSame(a);
    assertThat(r.select(new TokenRoute("other", "t"))).containsSame(d);
    assertThat(r.select(new TokenRoute(null, "t"))).containsSame(d);
    assertThat(r.token().join().value()).isEqualTo("d");
    assertThat(r.toString()).contains("app").contains("app@t").contains("fallback");

    TokenRouting strict = TokenRouting.builder().app("app", "t", aInT).build();
    assertThat(strict.select(new TokenRoute("app", "other"))).isEmpty();
    assertThat(strict.select(new TokenRoute(null, null))).isEmpty();
    assertThatThrownBy(() -> strict.token().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(TokenException.class)
        .satisfies(e -> assertThat(((TokenException) e.getCause()).retryable()).isFalse());
  }

  @Test
  void builderRefusesBlankAndRepeatedApps() {
    TokenProvider a = fixed("a");
    assertThatThrownBy(() -> TokenRouting.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TokenRouting.builder().app(" ", a))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenRouting.builder().app("x", " ", a))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenRouting.builder().app("x", a).app("X", a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already registered");
  }
}
