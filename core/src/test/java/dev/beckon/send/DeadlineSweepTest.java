package dev.beckon.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.transport.HttpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sender's deadlines are swept, not timed one by one: every send still ends by its overall
 * deadline (many at once, through the default transport and through one that never answers nor
 * honours its timeout), the in-flight registry is empty once they have, closing the sender ends
 * what is in flight and stops its thread, and the sweep stops ticking when nothing is in flight.
 * The servers are loopback sockets that accept and never answer.
 */
class DeadlineSweepTest {

  private static final Timeouts ONE_SECOND =
      new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
  private static final int SENDS = 40;

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  /**
   * Accepts connections and never answers: it reads what comes and hangs up only when the client
   * does (as a real server would).
   */
  private static final class SilentServer implements AutoCloseable {
    final ServerSocket socket;
    final List<Socket> held = new CopyOnWriteArrayList<>();

    SilentServer() throws IOException {
      socket = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
      Thread t =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = socket.accept();
                    held.add(s);
                    Thread r = new Thread(() -> drain(s), "silent-server-conn");
                    r.setDaemon(true);
                    r.start();
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              },
              "silent-server");
      t.setDaemon(true);
      t.start();
    }

    private static void drain(Socket s) {
      try (s) {
        byte[] buf = new byte[4096];
        while (s.getInputStream().read(buf) >= 0) {
          // never answered
        }
      } catch (IOException gone) {
        // closed by the test
      }
    }

    String serviceUrl() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/amer/";
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private ConnectorClient client(Timeouts timeouts, HttpTransport transport) {
    BotConnectorSender.Builder b = BotConnectorSender.builder().anonymous().timeouts(timeouts);
    if (transport != null) {
      b.transport(transport);
    }
    ConnectorClient c = new ConnectorClient(b);
    closeables.add(c);
    return c;
  }

  private static CompletableFuture<ConnectorClient.Answer> post(
      ConnectorClient client, String serviceUrl, int i) {
    return client.execute(
        new ConnectorClient.Call(
            ConnectorClient.Method.POST,
            serviceUrl + "v3/conversations/c" + i + "/activities",
            serviceUrl,
            "{}".getBytes(StandardCharsets.UTF_8),
            null),
        RetryStrategy.defaults(),
        false);
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).as("within 20 s").isTrue();
  }

  @Test
  void manyConcurrentSendsToAServerThatNeverAnswersAllTimeOutAndLeaveNothingRegistered()
      throws Exception {
    SilentServer server = new SilentServer();
    closeables.add(server);
    ConnectorClient client = client(ONE_SECOND, null);
    List<CompletableFuture<ConnectorClient.Answer>> sends = new ArrayList<>();
    for (int i = 0; i < SENDS; i++) {
      sends.add(post(client, server.serviceUrl(), i));
    }
    assertThat(client.inFlight()).as("each send is registered while in flight").isPositive();
    for (CompletableFuture<ConnectorClient.Answer> f : sends) {
      SendOutcome o = f.get(30, TimeUnit.SECONDS).outcome();
      assertThat(o.errorCode()).isEqualTo("Timeout");
      assertThat(o.kind())
          .as("a POST sent and never answered may have been delivered")
          .isEqualTo(SendOutcome.Kind.UNKNOWN);
    }
    assertThat(client.inFlight()).as("nothing retained after completion").isZero();
    eventually(() -> !client.sweeping()); // and the sweep stops with nothing to watch
    // it starts again for the next send
    CompletableFuture<ConnectorClient.Answer> again = post(client, server.serviceUrl(), 0);
    assertThat(client.sweeping()).isTrue();
    assertThat(again.get(30, TimeUnit.SECONDS).outcome().errorCode()).isEqualTo("Timeout");
    assertThat(client.inFlight()).isZero();
  }

  @Test
  void aTransportThatIgnoresItsTimeoutIsCutByTheSweepForEverySend() throws Exception {
    List<CompletableFuture<HttpTransport.Response>> handedOut = new CopyOnWriteArrayList<>();
    HttpTransport never =
        (r, t) -> {
          CompletableFuture<HttpTransport.Response> f = new CompletableFuture<>();
          handedOut.add(f);
          return f;
        };
    ConnectorClient client = client(ONE_SECOND, never);
    List<CompletableFuture<ConnectorClient.Answer>> sends = new ArrayList<>();
    for (int i = 0; i < SENDS; i++) {
      sends.add(post(client, "http://127.0.0.1:9/amer/", i));
    }
    for (CompletableFuture<ConnectorClient.Answer> f : sends) {
      SendOutcome o = f.get(30, TimeUnit.SECONDS).outcome();
      assertThat(o.kind()).isEqualTo(SendOutcome.Kind.UNKNOWN);
      assertThat(o.errorCode()).isEqualTo("Timeout");
      assertThat(o.message()).contains("overall timeout");
    }
    assertThat(handedOut)
        .as("each attempt still running at the deadline is cancelled")
        .hasSize(SENDS)
        .allSatisfy(f -> assertThat(f).isCancelled());
    assertThat(client.inFlight()).isZero();
  }

  @Test
  void closingTheSenderEndsEverySendInFlightAndStopsItsThread() throws Exception {
    SilentServer server = new SilentServer();
    closeables.add(server);
    // deadlines far away: only close() can end these sends
    ConnectorClient client =
        client(
            new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(120)),
            null);
    List<CompletableFuture<ConnectorClient.Answer>> sends = new ArrayList<>();
    for (int i = 0; i < SENDS; i++) {
      sends.add(post(client, server.serviceUrl(), i));
    }
    eventually(() -> server.held.size() == SENDS); // every request is on its way
    client.close();
    for (CompletableFuture<ConnectorClient.Answer> f : sends) {
      SendOutcome o = f.get(30, TimeUnit.SECONDS).outcome();
      assertThat(o.errorCode()).isEqualTo("Closed");
      assertThat(o.kind()).isIn(SendOutcome.Kind.UNKNOWN, SendOutcome.Kind.FAILED);
    }
    assertThat(client.inFlight()).isZero();
    eventually(client::timerTerminated);
    SendOutcome after = post(client, server.serviceUrl(), 0).get(30, TimeUnit.SECONDS).outcome();
    assertThat(after.kind()).isEqualTo(SendOutcome.Kind.FAILED);
    assertThat(after.errorCode()).isEqualTo("Closed");
    assertThat(after.message()).startsWith("not sent");
    assertThat(client.inFlight()).isZero();
  }

  @Test
  void answeredSendsLeaveNothingRegistered() throws Exception {
    HttpTransport ok =
        (r, t) ->
            CompletableFuture.supplyAsync(
                () -> new HttpTransport.Response(201, java.util.Map.of(), "{\"id\":\"a\"}"));
    ConnectorClient client = client(ONE_SECOND, ok);
    List<CompletableFuture<ConnectorClient.Answer>> sends = new ArrayList<>();
    for (int i = 0; i < SENDS; i++) {
      sends.add(post(client, "http://127.0.0.1:9/amer/", i));
    }
    for (CompletableFuture<ConnectorClient.Answer> f : sends) {
      assertThat(f.get(30, TimeUnit.SECONDS).outcome().delivered()).isTrue();
    }
    assertThat(client.inFlight()).isZero();
  }
}
