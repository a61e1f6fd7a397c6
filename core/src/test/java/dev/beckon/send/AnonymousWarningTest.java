package dev.beckon.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.auth.TokenProvider;
import dev.beckon.inbound.AuthenticationConfig;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.inbound.InboundAuthenticator;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One WARN when a sender or a {@link CaptureHandler} is built anonymous, none otherwise. The test
 * binding is slf4j-simple, which writes to whatever {@code System.err} is when it logs.
 */
class AnonymousWarningTest {

  private interface Action {
    void run() throws Exception;
  }

  private static List<String> warnings(Action action) throws Exception {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(" WARN ")).toList();
  }

  @Test
  void anAnonymousSenderWarnsOnceThatNoTokenIsSent() throws Exception {
    List<String> w =
        warnings(
            () -> {
              try (BotConnectorSender s = BotConnectorSender.builder().anonymous().build()) {
                assertThat(s).isNotNull();
              }
            });
    assertThat(w)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("BotConnectorSender built anonymous")
                    .contains("no token is sent")
                    .contains("Emulator and local tests only"));
  }

  @Test
  void aSenderWithCredentialsDoesNotWarn() throws Exception {
    TokenProvider tokens = () -> new CompletableFuture<>();
    assertThat(
            warnings(
                () -> {
                  try (BotConnectorSender s =
                      BotConnectorSender.builder().credentials(tokens).build()) {
                    assertThat(s).isNotNull();
                  }
                }))
        .isEmpty();
  }

  @Test
  void anAnonymousCaptureHandlerWarnsOnceThatNoTokenIsValidated() throws Exception {
    List<String> w =
        warnings(
            () ->
                CaptureHandler.builder(new InMemoryReferenceRepository())
                    .authentication(AuthenticationConfig.anonymous())
                    .build());
    assertThat(w)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("CaptureHandler built with anonymous authentication")
                    .contains("no token is validated")
                    .contains("Emulator and local tests only"));
  }

  @Test
  void anAuthenticatedCaptureHandlerDoesNotWarn() throws Exception {
    AuthenticationConfig config =
        AuthenticationConfig.publicCloud("app-id")
            .withOpenIdMetadata(
                URI.create("http://127.0.0.1:9/openid"), URI.create("http://127.0.0.1:9/emulator"));
    assertThat(
            warnings(
                () ->
                    CaptureHandler.builder(new InMemoryReferenceRepository())
                        .authentication(config)
                        .build()))
        .isEmpty();
  }

  @Test
  void aSharedValidatingAuthenticatorDoesNotWarn() throws Exception {
    // regression: the builder judged its own default (anonymous) config, not the shared
    // authenticator
    InboundAuthenticator shared =
        new InboundAuthenticator(
            AuthenticationConfig.publicCloud("app-id")
                .withOpenIdMetadata(
                    URI.create("http://127.0.0.1:9/openid"),
                    URI.create("http://127.0.0.1:9/emulator")));
    assertThat(
            warnings(
                () ->
                    CaptureHandler.builder(new InMemoryReferenceRepository())
                        .authenticator(shared)
                        .build()))
        .isEmpty();
  }

  @Test
  void aSharedAnonymousAuthenticatorWarns() throws Exception {
    InboundAuthenticator shared = new InboundAuthenticator(AuthenticationConfig.anonymous());
    assertThat(
            warnings(
                () ->
                    CaptureHandler.builder(new InMemoryReferenceRepository())
                        .authenticator(shared)
                        .build()))
        .singleElement()
        .satisfies(line -> assertThat(line).contains("CaptureHandler built with anonymous"));
  }
}
