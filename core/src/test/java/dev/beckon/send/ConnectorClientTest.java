package dev.beckon.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.retry.RetryStrategy;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls no sender can make (a URL with user info, an illegal character): refused before anything
 * leaves, as REJECTED, never as "may have been delivered". Moved from the testkit's SenderTest when
 * the client became package-private; nothing listens on the port, and nothing is needed to.
 */
class ConnectorClientTest {

  private final ConnectorClient client =
      new ConnectorClient(
          BotConnectorSender.builder()
              .anonymous()
              .timeouts(
                  new Timeouts(
                      Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10))));

  @AfterEach
  void close() {
    client.close();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket ss = new ServerSocket(0)) {
      return ss.getLocalPort();
    }
  }

  private static String activitiesUrl(String authority) {
    return "http://" + authority + "/amer/v3/conversations/c/activities";
  }

  private SendOutcome post(String url, String serviceUrl) throws Exception {
    return client
        .execute(
            new ConnectorClient.Call(
                ConnectorClient.Method.POST,
                url,
                serviceUrl,
                "{}".getBytes(StandardCharsets.UTF_8),
                null),
            RetryStrategy.defaults(),
            false)
        .get(10, TimeUnit.SECONDS)
        .outcome();
  }

  @Test
  void aRequestTheHttpClientRefusesIsRejectedWithItsCauseNotUnknown() throws Exception {
    // the trust check sees a clean serviceUrl; the URL itself carries userinfo, which HttpClient 5
    // refuses before connecting: nothing left, so it is REJECTED, not "may have been delivered"
    String authority = "127.0.0.1:" + closedPort();
    String serviceUrl = "http://" + authority + "/amer/";
    SendOutcome userinfo = post(activitiesUrl("user:pw@" + authority), serviceUrl);
    assertThat(userinfo.kind()).isEqualTo(SendOutcome.Kind.REJECTED);
    assertThat(userinfo.errorCode()).isEqualTo("InvalidRequest");
    assertThat(userinfo.message()).startsWith("not sent: ").contains("userinfo");
    assertThat(userinfo.attempts()).as("an invalid request is not retried").isEqualTo(1);
    // an illegal character: refused before any transport, and the future completes (it used to
    // hang)
    SendOutcome space = post(activitiesUrl(authority) + " x", serviceUrl);
    assertThat(space.kind()).isEqualTo(SendOutcome.Kind.REJECTED);
    assertThat(space.message()).contains("not valid");
    assertThat(space.retryable()).isFalse();
  }
}
