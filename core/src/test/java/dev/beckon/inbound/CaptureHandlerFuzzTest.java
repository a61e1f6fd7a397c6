package dev.beckon.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.beckon.codec.RoundTrips;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoredReference;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Jazzer fuzz targets for {@link CaptureHandler#handle} (issue #15 item 8): any body gives a 2xx or
 * 4xx result and nothing else is thrown; what is stored is exactly the captured reference and
 * round-trips; in authenticated mode with a missing or garbage token, nothing is stored and the bot
 * is never called.
 *
 * <p>Seeds: {@code src/test/resources/dev/beckon/inbound/CaptureHandlerFuzzTestInputs/<method>/}.
 * To fuzz: {@code JAZZER_FUZZ=1 mvn -pl core test -Dtest=CaptureHandlerFuzzTest#anonymous}.
 */
class CaptureHandlerFuzzTest {

  private static final Set<Integer> ANONYMOUS_STATUSES = Set.of(200, 400, 413);
  private static final Set<Integer> REFUSED_STATUSES = Set.of(400, 401, 413);

  /** Missing, empty, non-Bearer, unparseable, and well-shaped but unsigned tokens. */
  private static final List<String> GARBAGE_TOKENS = garbageTokens();

  /** Local bot: every body is parsed and, when usable, stored. */
  @FuzzTest(maxDuration = "60s")
  void anonymous(byte[] body) {
    InMemoryReferenceRepository store = new InMemoryReferenceRepository();
    List<ConversationReference> handed = new ArrayList<>();
    CaptureHandler handler =
        CaptureHandler.builder(store)
            .authentication(AuthenticationConfig.anonymous())
            .onActivity((a, r, o) -> handed.add(r))
            .build();
    CaptureHandler.Result result = handler.handle((String) null, body);
    assertThat(result.status()).as(result.message()).isIn(ANONYMOUS_STATUSES);
    List<StoredReference> stored = store.stream(ListQuery.all()).toList();
    switch (result.outcome()) {
      case SAVED -> {
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).reference()).isEqualTo(result.reference());
        RoundTrips.assertReference(result.reference());
        assertThat(handed).containsExactly(result.reference());
      }
      case REMOVED, IGNORED -> assertThat(stored).isEmpty();
      default -> {
        assertThat(stored).isEmpty();
        assertThat(handed).isEmpty();
      }
    }
  }

  /**
   * A bot with an app id, called without a valid token: refused, nothing stored, bot not called.
   * The well-shaped unsigned token makes the authenticator fetch signing keys from its configured
   * (closed, loopback) metadata address: that one connection is expected, any other is a finding.
   */
  @FuzzTest(maxDuration = "60s")
  @SuppressWarnings("try") // keyFetch is a guard held for the block, never used inside it
  void authenticated(byte[] body) {
    try (SilentCloseable keyFetch =
        BugDetectors.allowNetworkConnections(
            (host, port) -> port == 9 && (host.equals("127.0.0.1") || host.equals("localhost")))) {
      refusedWithoutAValidToken(body);
    }
  }

  private static void refusedWithoutAValidToken(byte[] body) {
    InMemoryReferenceRepository store = new InMemoryReferenceRepository();
    List<CaptureHandler.Outcome> handed = new ArrayList<>();
    CaptureHandler handler =
        CaptureHandler.builder(store)
            .authenticator(AUTHENTICATOR)
            .onActivity((a, r, o) -> handed.add(o))
            .build();
    for (String token : GARBAGE_TOKENS) {
      CaptureHandler.Result result = handler.handle(token, body);
      assertThat(result.status()).as(result.message()).isIn(REFUSED_STATUSES);
      assertThat(result.reference()).isNull();
    }
    assertThat(store.stream(ListQuery.all()).toList()).isEmpty();
    assertThat(handed).isEmpty();
  }

  /** One authenticator for all runs; its key fetches go to a closed loopback port. */
  private static final InboundAuthenticator AUTHENTICATOR =
      new InboundAuthenticator(CaptureHandlerTest.AUTHENTICATED);

  private static List<String> garbageTokens() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long exp = Instant.now().plusSeconds(3600).getEpochSecond();
    String header =
        b64.encodeToString(
            "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String none = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String claims =
        b64.encodeToString(
            ("{\"iss\":\"https://api.botframework.com\",\"aud\":\"app-id\","
                    + "\"serviceurl\":\"https://smba.trafficmanager.net/amer/\",\"exp\":"
                    + exp
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    List<String> tokens = new ArrayList<>();
    tokens.add(null);
    tokens.add("");
    tokens.add("Bearer");
    tokens.add("Bearer ");
    tokens.add("Basic dXNlcjpwYXNz");
    tokens.add("Bearer not-a-jwt");
    tokens.add("Bearer " + none + "." + claims + ".");
    tokens.add("Bearer " + header + "." + claims + "." + b64.encodeToString(new byte[256]));
    return tokens;
  }
}
