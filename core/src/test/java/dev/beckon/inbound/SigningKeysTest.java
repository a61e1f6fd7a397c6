package dev.beckon.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the key cache fetches, and how often an unauthenticated caller can make it fetch. */
class SigningKeysTest {

  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicReference<String> answer = new AtomicReference<>("");
  private final AtomicInteger status = new AtomicInteger(500);
  private final ServerSocket server;
  private final Thread acceptor;
  private final TestClock clock = new TestClock();

  // a minimal HTTP/1.1 server on loopback (core's tests run on the module path, without
  // jdk.httpserver)
  SigningKeysTest() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket c = server.accept()) {
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
                  String line = in.readLine();
                  while (line != null && !line.isEmpty()) {
                    line = in.readLine();
                  }
                  hits.incrementAndGet();
                  byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
                  OutputStream out = c.getOutputStream();
                  out.write(
                      ("HTTP/1.1 "
                              + status.get()
                              + " X\r\nContent-Length: "
                              + body.length
                              + "\r\nConnection: close\r\n\r\n")
                          .getBytes(StandardCharsets.ISO_8859_1));
                  out.write(body);
                  out.flush();
                } catch (IOException e) {
                  // closed: the test is over
                }
              }
            },
            "signing-keys-test-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws IOException, InterruptedException {
    server.close();
    acceptor.join(5000);
  }

  private SigningKeys keys() {
    URI metadata = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/metadata");
    return new SigningKeys(
        metadata,
        HttpClient.newHttpClient(),
        Duration.ofSeconds(5),
        Duration.ofHours(24),
        Duration.ofHours(1),
        clock);
  }

  @Test
  void aFailedFetchIsNotRepeatedForEveryForgedTokenUntilTheBackoffPasses() {
    SigningKeys k = keys();
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> k.key("forged-kid")).isInstanceOf(AuthenticationException.class);
    }
    assertThat(hits.get())
        .as("one fetch while the metadata host fails, not one per request")
        .isEqualTo(1);
    clock.advance(SigningKeys.FAILURE_BACKOFF.plusSeconds(1));
    assertThatThrownBy(() -> k.key("forged-kid")).isInstanceOf(AuthenticationException.class);
    assertThat(hits.get()).isEqualTo(2);
    assertThat(k.attempts()).isEqualTo(2);
  }

  @Test
  void anOversizeDocumentIsRefused() {
    status.set(200);
    answer.set("{\"jwks_uri\":\"" + "x".repeat(SigningKeys.MAX_DOCUMENT_BYTES) + "\"}");
    assertThatThrownBy(() -> keys().key("k"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void aKeySetThatIsNotHttpsIsNeverFetched() {
    status.set(200);
    for (String uri :
        new String[] {
          "file:///etc/passwd",
          "http://keys.example/keys",
          "ftp://127.0.0.1/k",
          "http://127.evil.example/keys"
        }) {
      hits.set(0);
      answer.set("{\"jwks_uri\":\"" + uri + "\"}");
      assertThatThrownBy(() -> keys().key("k"))
          .as(uri)
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("not https");
      assertThat(hits.get()).as("only the metadata was fetched for %s", uri).isEqualTo(1);
    }
  }

  private SigningKeys entraKeys(String issuer) {
    URI metadata = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/metadata");
    return new SigningKeys(
        metadata,
        HttpClient.newHttpClient(),
        Duration.ofSeconds(5),
        Duration.ofHours(24),
        Duration.ofHours(1),
        clock,
        issuer,
        true);
  }

  private static final String TENANT_V2 =
      "https://login.microsoftonline.com/8e2f3c1a-0b4d-4c6e-9f10-123456789abc/v2.0";

  @Test
  void anEntraDocumentOfAnotherIssuerIsRefusedBeforeItsKeysAreFetched() {
    status.set(200);
    String keys = "http://127.0.0.1:" + server.getLocalPort() + "/keys";
    for (String issuer :
        new String[] {
          "https://login.microsoftonline.com/{tenantid}/v2.0",
          "https://login.microsoftonline.com/common/v2.0",
          "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
          TENANT_V2.toUpperCase(java.util.Locale.ROOT),
          TENANT_V2 + "/"
        }) {
      hits.set(0);
      answer.set("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + keys + "\"}");
      assertThatThrownBy(() -> entraKeys(TENANT_V2).key("k"))
          .as(issuer)
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("not the expected issuer");
      assertThat(hits.get()).as("only the document was fetched for %s", issuer).isEqualTo(1);
    }
    hits.set(0);
    answer.set("{\"jwks_uri\":\"" + keys + "\"}");
    assertThatThrownBy(() -> entraKeys(TENANT_V2).key("k"))
        .as("no issuer at all")
        .hasMessageContaining("not the expected issuer");
    answer.set("{\"issuer\":[\"" + TENANT_V2 + "\"],\"jwks_uri\":\"" + keys + "\"}");
    assertThatThrownBy(() -> entraKeys(TENANT_V2).key("k"))
        .as("an issuer that is not a string")
        .hasMessageContaining("not the expected issuer");
  }

  @Test
  void anEntraKeySetOnAnotherHostIsNeverFetched() {
    status.set(200);
    int port = server.getLocalPort();
    for (String uri :
        new String[] {
          "https://login.microsoftonline.com/common/discovery/v2.0/keys",
          "http://localhost:" + port + "/keys",
          "http://127.0.0.2:" + port + "/keys",
          "http://127.0.0.1:" + (port == 65535 ? 1 : port + 1) + "/keys",
          "http://user@127.0.0.1:" + port + "/keys"
        }) {
      hits.set(0);
      answer.set("{\"issuer\":\"" + TENANT_V2 + "\",\"jwks_uri\":\"" + uri + "\"}");
      assertThatThrownBy(() -> entraKeys(TENANT_V2).key("k"))
          .as(uri)
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("another host");
      assertThat(hits.get()).as("only the document was fetched for %s", uri).isEqualTo(1);
    }
  }

  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-12-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
