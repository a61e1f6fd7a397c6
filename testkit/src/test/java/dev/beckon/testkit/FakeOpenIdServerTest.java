package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fake OpenID server's own behaviour where it is not the validator's. */
class FakeOpenIdServerTest {

  private static HttpResponse<String> get(URI uri) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBareAttackerPathIsNotFoundInsteadOfFailingTheExchange() throws Exception {
    try (FakeOpenIdServer server = FakeOpenIdServer.start()) {
      // it used to dereference the missing attacker content: the exchange failed with no answer
      assertThat(get(server.baseUri().resolve("/attacker")).statusCode()).isEqualTo(404);
      URI hosted = server.attackerContent("jwks", "{\"keys\":[]}");
      HttpResponse<String> served = get(hosted);
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(served.body()).isEqualTo("{\"keys\":[]}");
    }
  }
}
