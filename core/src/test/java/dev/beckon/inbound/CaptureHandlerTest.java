package dev.beckon.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.store.ListQuery;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #15 item 8 for the inbound path: bad bodies get a 4xx result, never an exception, and
 * nothing is stored or handed to the bot.
 */
class CaptureHandlerTest {

  /** Key fetches go to a closed loopback port: no test reaches outside 127.0.0.0/8. */
  static final AuthenticationConfig AUTHENTICATED =
      AuthenticationConfig.publicCloud("app-id")
          .withOpenIdMetadata(
              URI.create("http://127.0.0.1:9/openid"), URI.create("http://127.0.0.1:9/emulator"));

  private final InMemoryReferenceRepository store = new InMemoryReferenceRepository();
  private final List<CaptureHandler.Outcome> seen = new ArrayList<>();

  private CaptureHandler handler(AuthenticationConfig config) {
    return CaptureHandler.builder(store)
        .authentication(config)
        .onActivity((a, r, o) -> seen.add(o))
        .build();
  }

  private static byte[] activity(String channelId, String conversationExtra) {
    return ("{\"type\":\"message\",\"id\":\"1\",\"channelId\":\""
            + channelId
            + "\","
            + "\"serviceUrl\":\"https://smba.trafficmanager.net/amer/\",\"conversation\":{\"id\":\"a:1\""
            + conversationExtra
            + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void assertNothingStoredOrHandled() {
    assertThat(store.stream(ListQuery.all()).toList()).isEmpty();
    assertThat(seen).isEmpty();
  }

  @Test
  void anOverLongChannelIdIsA400InAnonymousMode() {
    // before: IllegalArgumentException out of handle
    CaptureHandler.Result r =
        handler(AuthenticationConfig.anonymous())
            .handle((String) null, activity("x".repeat(5000), ""));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.outcome()).isEqualTo(CaptureHandler.Outcome.MALFORMED);
    assertThat(r.message()).contains("channelId").contains("4096").doesNotContain("xxxxxxxxxx");
    assertNothingStoredOrHandled();
  }

  @Test
  void anOverLongChannelIdIsRefusedBeforeTheTokenIsLookedAt() {
    CaptureHandler h = handler(AUTHENTICATED);
    byte[] body = activity("x".repeat(5000), "");
    assertThat(h.handle((String) null, body).status()).isEqualTo(401);
    assertThat(h.handle("Bearer garbage", body).status()).isEqualTo(400);
    assertNothingStoredOrHandled();
  }

  @Test
  void aWellFormedBodyWithAGarbageTokenIsA401() {
    CaptureHandler h = handler(AUTHENTICATED);
    for (String token :
        new String[] {
          null, "", "Bearer", "Bearer a.b.c", "Basic dXNlcjpwdw==", "Bearer " + "x".repeat(20_000)
        }) {
      CaptureHandler.Result r = h.handle(token, activity("msteams", ""));
      assertThat(r.status()).as(String.valueOf(token)).isEqualTo(401);
    }
    assertNothingStoredOrHandled();
  }

  @Test
  void illFormedIdsAndBytesAreA400() {
    CaptureHandler h = handler(AuthenticationConfig.anonymous());
    assertThat(h.handle((String) null, activity("dup\\ud800", "")).status()).isEqualTo(400);
    assertThat(h.handle((String) null, activity("caf\u00e9", "").clone()).status()).isEqualTo(200);
    store.delete(dev.beckon.reference.ReferenceKey.of("caf\u00e9", "a:1"));
    seen.clear();
    byte[] latin1 =
        new String(activity("caf\u00e9", ""), StandardCharsets.UTF_8)
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(h.handle((String) null, latin1).status()).isEqualTo(400);
    assertThat(h.handle((String) null, activity("msteams", ",\"n\":82969e2147483646")).status())
        .isEqualTo(400);
    assertThat(h.handle((String) null, activity("msteams", ",\"n\":1e9999999999")).status())
        .isEqualTo(400);
    assertNothingStoredOrHandled();
  }

  @Test
  void aReferenceOverTheStoreLimitIsA413() {
    // a 40 KB conversation property: the body is under 256 KiB, the reference over the 32 KiB
    // a store keeps. Before: ReferenceTooLargeException out of handle.
    CaptureHandler.Result r =
        handler(AuthenticationConfig.anonymous())
            .handle((String) null, activity("msteams", ",\"big\":\"" + "x".repeat(40_000) + "\""));
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.outcome()).isEqualTo(CaptureHandler.Outcome.TOO_LARGE);
    assertNothingStoredOrHandled();
  }
}
