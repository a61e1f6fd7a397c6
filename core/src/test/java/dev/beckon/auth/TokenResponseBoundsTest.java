package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint's answer is read up to a bound, for secrets and certificates alike (one code
 * path). Before, ClientCredentials read it with ofString(): an oversized answer was accepted and an
 * endless one filled the heap.
 */
class TokenResponseBoundsTest {

  private final LoopbackTokenServer server;

  TokenResponseBoundsTest() throws Exception {
    server = new LoopbackTokenServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private ClientCredentials secret() {
    return ClientCredentials.builder("app-id", "s3cr3t-value").tokenEndpoint(server.uri()).build();
  }

  private ClientCredentials certificate() {
    var keys = TestPki.rsa(2048);
    var cert = ClientCertificate.of(keys.getPrivate(), List.of(new TestPki().leaf("CN=b", keys)));
    return ClientCredentials.builder("app-id", cert).tokenEndpoint(server.uri()).build();
  }

  @Test
  void anOversizedTokenAnswerIsRefusedNotRead() {
    // a valid token answer padded past the bound: accepted before the fix
    String padded =
        "{\"access_token\":\"t\",\"expires_in\":3600,\"pad\":\""
            + "x".repeat(2 * 1024 * 1024)
            + "\"}";
    server.answerNext(LoopbackTokenServer.Answer.json(200, padded));
    assertThatThrownBy(() -> secret().token().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("answered more than 65536 bytes")
        .hasMessageNotContaining("s3cr3t");
    assertThat(server.forms).as("not retried").hasSize(1);
  }

  @Test
  void anEndlessTokenAnswerIsCutOff() {
    server.answerNext(LoopbackTokenServer.Answer.endlessBody());
    assertThatThrownBy(() -> secret().token().join())
        .cause()
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("answered more than");
  }

  @Test
  void anEndlessAnswerToACertificateCredentialIsCutOffToo() {
    server.answerNext(LoopbackTokenServer.Answer.endlessBody());
    assertThatThrownBy(() -> certificate().token().join())
        .cause()
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("answered more than");
  }

  @Test
  void anOversizedErrorAnswerIsRefusedToo() {
    server.answerNext(
        LoopbackTokenServer.Answer.json(
            400, "{\"error\":\"invalid_request\",\"pad\":\"" + "y".repeat(100_000) + "\"}"));
    assertThatThrownBy(() -> secret().token().join())
        .cause()
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("answered more than");
  }

  @Test
  void answersWithoutAUsableTokenAreRefused() {
    server.answerNext(
        LoopbackTokenServer.Answer.json(200, "{\"access_token\":42}"),
        LoopbackTokenServer.Answer.json(200, "not json"));
    assertThatThrownBy(() -> secret().token().join())
        .cause()
        .hasMessageContaining("without access_token");
    assertThatThrownBy(() -> secret().token().join())
        .cause()
        .hasMessageContaining("unreadable body");
  }
}
