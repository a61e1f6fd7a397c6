package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.beckon.send.transport.HttpTransport;
import dev.beckon.send.transport.HttpTransport.InvalidRequestException;
import dev.beckon.send.transport.HttpTransport.NotSentException;
import dev.beckon.send.transport.HttpTransport.Request;
import dev.beckon.send.transport.HttpTransport.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compatibility kit for an {@link HttpTransport}: what {@code BotConnectorSender} relies on,
 * checked against a loopback HTTP server. A transport's test extends this class and supplies one
 * hook; it inherits every test:
 *
 * <pre>{@code
 * class MyTransportTest extends HttpTransportContract {
 *   @Override
 *   protected HttpTransport createTransport() {
 *     return new MyTransport(HttpClient.newBuilder().followRedirects(NEVER).build());
 *   }
 * }
 * }</pre>
 *
 * <p>What is checked: the method, path, query, headers and body arrive exactly as given (also for
 * 16 requests at once); the status, the response headers (names in lower case) and the body come
 * back as the server sent them, whatever the status (of the headers, those the sender reads: {@code
 * Retry-After}, {@code MS-CV}, {@code x-correlating-operationid}); a body of exactly {@code
 * maxResponseBytes} comes back whole, and an endless one is cut after {@code maxResponseBytes} + 1
 * bytes and returned longer than the bound; a server that never answers fails the exchange after
 * the {@code timeout} passed to {@link HttpTransport#execute}; cancelling the future ends the
 * exchange and the next one still works; a refused connection fails with {@link NotSentException};
 * a request the client refuses itself fails with {@link InvalidRequestException} and nothing
 * reaches the server, and a header value with a line break never injects a header (refused, or sent
 * as one header); a redirect is returned, never followed (so the bot's token never goes to another
 * URL); a response with a megabyte of headers fails instead of being held.
 *
 * <p>A transport that is {@link AutoCloseable} is closed after each test.
 */
public abstract class HttpTransportContract {

  /** For subclasses: one per transport under test. */
  protected HttpTransportContract() {}

  /**
   * Creates the transport under test, once per test.
   *
   * @return a new transport
   */
  protected abstract HttpTransport createTransport();

  /** The transport under test, created before each test. */
  protected HttpTransport transport;

  private LoopbackServer server;

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackServer();
    transport = createTransport();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    if (transport instanceof AutoCloseable c) {
      c.close();
    }
  }

  // ---------------------------------------------------------------- requests and responses

  /** The request arrives as given; the response comes back as sent. */
  @Nested
  @DisplayName("exchange")
  class Exchange {

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT"})
    @DisplayName("method, path, query, headers and body arrive exactly as given")
    void requestArrivesExactly(String method) throws Exception {
      byte[] body = "{\"text\":\"Grüße 😀 \\u0000\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", "application/json; charset=utf-8");
      headers.put("Authorization", "Bearer eyJ.test.token");
      headers.put("User-Agent", "Beckon-compatibility-kit/1");
      headers.put("X-Beckon-Test", "a value ; with=parts,  \"quoted\"  and  spaces");
      Response r =
          execute(
              new Request(
                  method,
                  server.uri("/v3/conversations/a%3A1%2Fb/activities?x=1&y=%C3%BC"),
                  headers,
                  body));
      assertThat(r.status()).isEqualTo(200);
      Received got = server.only();
      assertThat(got.method()).isEqualTo(method);
      assertThat(got.rawPathAndQuery())
          .isEqualTo("/v3/conversations/a%3A1%2Fb/activities?x=1&y=%C3%BC");
      for (Map.Entry<String, String> h : headers.entrySet()) {
        assertThat(got.headers().get(h.getKey()))
            .as("header %s", h.getKey())
            .containsExactly(h.getValue());
      }
      assertThat(got.body()).isEqualTo(body);
    }

    @Test
    @DisplayName("a DELETE without a body sends none")
    void deleteWithoutBody() throws Exception {
      Response r =
          execute(
              new Request(
                  "DELETE", server.uri("/v3/conversations/c/activities/1"), Map.of(), null));
      assertThat(r.status()).isEqualTo(200);
      Received got = server.only();
      assertThat(got.method()).isEqualTo("DELETE");
      assertThat(got.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 400, 401, 403, 404, 412, 429, 500, 502, 503})
    @DisplayName(
        "every status comes back as a response, with the headers the sender reads (Retry-After, MS-CV, x-correlating-operationid) and the body")
    void statusHeadersAndBodyComeBack(int status) throws Exception {
      server.answer(
          status,
          Map.of(
              "Retry-After", "7",
              "MS-CV", "cv.1.2",
              "x-correlating-OperationId", "op-123",
              "Content-Type", "application/json"),
          status == 204 ? "" : "{\"id\":\"1\",\"text\":\"ünïcödé 😀\"}");
      Response r = execute(post("/answer"));
      assertThat(r.status()).isEqualTo(status);
      assertThat(r.headers().keySet())
          .as("header names in lower case")
          .allSatisfy(k -> assertThat(k).isEqualTo(k.toLowerCase(Locale.ROOT)));
      assertThat(r.header("Retry-After")).isEqualTo("7");
      assertThat(r.header("ms-cv")).isEqualTo("cv.1.2");
      assertThat(r.header("X-Correlating-OperationId")).isEqualTo("op-123");
      assertThat(r.body()).isEqualTo(status == 204 ? "" : "{\"id\":\"1\",\"text\":\"ünïcödé 😀\"}");
    }

    @Test
    @DisplayName("an empty 200 body is \"\"")
    void emptyBodyIsEmptyString() throws Exception {
      server.answer(200, Map.of(), "");
      assertThat(execute(post("/empty")).body()).isEmpty();
    }

    @Test
    @Timeout(120)
    @DisplayName("16 requests at once each get their own response")
    void concurrentRequestsGetTheirOwnResponses() throws Exception {
      server.echoPath();
      List<CompletableFuture<Response>> futures = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        futures.add(transport.execute(post("/echo/" + i), Duration.ofSeconds(30)));
      }
      for (int i = 0; i < 16; i++) {
        Response r = futures.get(i).get(60, TimeUnit.SECONDS);
        assertThat(r.body()).isEqualTo("/echo/" + i);
      }
      assertThat(server.received()).hasSize(16);
    }
  }

  // ---------------------------------------------------------------- bounds and time

  /** The response body bound, the header bound, the timeout and cancellation. */
  @Nested
  @DisplayName("bounds")
  class Bounds {

    @Test
    @DisplayName("a body of exactly maxResponseBytes comes back whole")
    void bodyAtTheBoundComesBackWhole() throws Exception {
      String body = "é".repeat(512); // 1,024 UTF-8 bytes
      server.answer(200, Map.of(), body);
      Response r = execute(post("/exact", 1024));
      assertThat(r.body()).isEqualTo(body);
    }

    @Test
    @Timeout(60)
    @DisplayName(
        "an endless body is cut after maxResponseBytes + 1 bytes and comes back longer than the bound")
    void endlessBodyIsCut() throws Exception {
      server.endlessBody();
      Response r = execute(post("/endless", 4096));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body().getBytes(StandardCharsets.UTF_8).length)
          .as("the body is longer than the bound, so the sender treats it as oversize")
          .isGreaterThan(4096);
      assertThat(r.body().length())
          .as("but not read to the end: far less than the server wrote")
          .isLessThan(LoopbackServer.ENDLESS_LIMIT / 2);
    }

    @Test
    @Timeout(60)
    @DisplayName("a megabyte of response headers fails the exchange instead of being held")
    void hugeHeadersFail() {
      Map<String, String> many = new LinkedHashMap<>();
      for (int i = 0; i < 2_000; i++) {
        many.put("X-Filler-" + i, "v".repeat(500));
      }
      server.answer(200, many, "{}");
      CompletableFuture<Response> f = transport.execute(post("/headers"), Duration.ofSeconds(30));
      Throwable t = failure(f);
      assertThat(t).as("a response with 1 MB of headers").isNotNull();
    }

    @Test
    @Timeout(60)
    @DisplayName("a server that never answers fails the exchange after the timeout given")
    void timeoutIsHonoured() {
      server.hang();
      CompletableFuture<Response> f = transport.execute(post("/hang"), Duration.ofMillis(500));
      Throwable t = failure(f);
      assertThat(t).as("no answer within the timeout").isNotNull();
      assertThat(t).isNotInstanceOf(InvalidRequestException.class);
    }

    @Test
    @Timeout(60)
    @DisplayName("cancelling the future ends the exchange; the next request still works")
    void cancelEndsTheExchange() throws Exception {
      server.hang();
      CompletableFuture<Response> f = transport.execute(post("/hang"), Duration.ofSeconds(30));
      server.awaitRequest();
      f.cancel(true);
      server.answer(200, Map.of(), "after");
      for (int i = 0; i < 4; i++) {
        assertThat(execute(post("/after-" + i)).body()).isEqualTo("after");
      }
    }
  }

  // ---------------------------------------------------------------- failures

  /** Failures carry the exceptions the sender classifies by. */
  @Nested
  @DisplayName("failures")
  class Failures {

    @Test
    @Timeout(60)
    @DisplayName("a refused connection fails with NotSentException")
    void refusedConnectionIsNotSent() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Request request =
          new Request("POST", URI.create("http://127.0.0.1:" + port + "/v3/x"), Map.of(), null);
      CompletableFuture<Response> f;
      try {
        f = transport.execute(request, Duration.ofSeconds(10));
      } catch (RuntimeException thrownByExecute) {
        // counted as not sent by the sender (see HttpTransport)
        assertThat(thrownByExecute).isNotInstanceOf(IllegalArgumentException.class);
        return;
      }
      assertThat(failure(f)).isInstanceOf(NotSentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"value\r\nX-Injected: yes", "value\nX-Injected: yes"})
    @DisplayName(
        "a header value with a line break never injects a header: refused with InvalidRequestException, or sent as one header")
    void headerInjectionIsImpossible(String value) throws Exception {
      Request request =
          new Request(
              "POST",
              server.uri("/v3/conversations/c/activities"),
              Map.of("X-Beckon-Test", value),
              new byte[0]);
      CompletableFuture<Response> f;
      try {
        f = transport.execute(request, Duration.ofSeconds(10));
      } catch (IllegalArgumentException thrownByExecute) {
        // counted as an invalid request by the sender (see HttpTransport)
        assertThat(server.received()).isEmpty();
        return;
      }
      try {
        f.get(50, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(InvalidRequestException.class);
        assertThat(server.received()).as("a refused request reaches nothing").isEmpty();
        return;
      }
      assertThat(server.received()).hasSize(1);
      assertThat(server.received().get(0).headers()).doesNotContainKey("X-Injected");
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    @DisplayName("a redirect is returned, never followed: the token goes nowhere else")
    void redirectsAreNotFollowed(int status) throws Exception {
      server.answer(status, Map.of("Location", server.uri("/elsewhere").toString()), "");
      Response r =
          execute(
              new Request(
                  "POST",
                  server.uri("/v3/conversations/c/activities"),
                  Map.of("Authorization", "Bearer secret-token"),
                  "{}".getBytes(StandardCharsets.UTF_8)));
      assertThat(r.status()).isEqualTo(status);
      assertThat(server.received()).hasSize(1);
      assertThat(server.received().get(0).rawPathAndQuery())
          .isEqualTo("/v3/conversations/c/activities");
    }
  }

  // ---------------------------------------------------------------- helpers

  private Request post(String path) {
    return new Request(
        "POST",
        server.uri(path),
        Map.of("Content-Type", "application/json"),
        "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8));
  }

  private Request post(String path, int maxResponseBytes) {
    return new Request(
        "POST",
        server.uri(path),
        Map.of("Content-Type", "application/json"),
        "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8),
        maxResponseBytes);
  }

  private Response execute(Request request) throws Exception {
    try {
      return transport.execute(request, Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(request + " failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Waits for the future to fail; returns the failure, or fails the test if it succeeds or is still
   * running after 20 s (40 times the timeout the timeout test gives; a server that hangs answers
   * never).
   */
  private static Throwable failure(CompletableFuture<Response> f) {
    try {
      Response r = f.get(20, TimeUnit.SECONDS);
      return fail(
          "expected a failure, got " + r.status() + " with " + r.body().length() + " chars");
    } catch (ExecutionException e) {
      return java.util.Objects.requireNonNullElse(e.getCause(), e);
    } catch (CancellationException e) {
      return e;
    } catch (TimeoutException e) {
      return fail("the exchange neither completed nor failed within 20 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  /** One request as the server received it. */
  @SuppressWarnings("ArrayRecordComponent") // never compared or hashed
  private record Received(
      String method, String rawPathAndQuery, Map<String, List<String>> headers, byte[] body) {}

  /** A loopback HTTP/1.1 server whose next answers the tests set. */
  private static final class LoopbackServer implements AutoCloseable {
    static final int ENDLESS_LIMIT = 16 * 1024 * 1024;

    private enum Mode {
      ANSWER,
      ECHO_PATH,
      ENDLESS,
      HANG
    }

    private final HttpServer http;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch firstRequest = new CountDownLatch(1);
    private final AtomicLong endlessWritten = new AtomicLong();
    private volatile Mode mode = Mode.ANSWER;
    private volatile int status = 200;
    private volatile Map<String, String> headers = Map.of();
    private volatile String body = "{}";

    LoopbackServer() throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      http.setExecutor(pool);
      http.createContext("/", this::handle);
      http.start();
    }

    URI uri(String pathAndQuery) {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + pathAndQuery);
    }

    void answer(int status, Map<String, String> headers, String body) {
      this.status = status;
      this.headers = Map.copyOf(headers);
      this.body = body;
      this.mode = Mode.ANSWER;
    }

    void echoPath() {
      mode = Mode.ECHO_PATH;
    }

    void endlessBody() {
      mode = Mode.ENDLESS;
    }

    void hang() {
      mode = Mode.HANG;
    }

    void awaitRequest() throws InterruptedException {
      assertThat(firstRequest.await(30, TimeUnit.SECONDS)).as("the request arrived").isTrue();
    }

    List<Received> received() {
      return received;
    }

    Received only() {
      assertThat(received).hasSize(1);
      return received.get(0);
    }

    private void handle(HttpExchange x) throws IOException {
      try (x) {
        byte[] in;
        try (InputStream s = x.getRequestBody()) {
          in = s.readNBytes(1024 * 1024);
        }
        Map<String, List<String>> h = new LinkedHashMap<>();
        Headers rh = x.getRequestHeaders();
        for (Map.Entry<String, List<String>> e : rh.entrySet()) {
          h.put(e.getKey(), List.copyOf(e.getValue()));
        }
        received.add(
            new Received(
                x.getRequestMethod(),
                x.getRequestURI().getRawPath() + rawQuery(x),
                caseless(h),
                in));
        firstRequest.countDown();
        Mode m = mode;
        if (m == Mode.HANG && x.getRequestURI().getRawPath().equals("/hang")) {
          try {
            var unused = released.await(120, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return;
        }
        if (m == Mode.ENDLESS) {
          x.sendResponseHeaders(200, 0);
          byte[] chunk = "0123456789abcdef".repeat(1024).getBytes(StandardCharsets.US_ASCII);
          try (OutputStream out = x.getResponseBody()) {
            while (endlessWritten.get() < ENDLESS_LIMIT) {
              out.write(chunk);
              out.flush();
              endlessWritten.addAndGet(chunk.length);
            }
          } catch (IOException clientStoppedReading) {
            // what a bounded transport does
          }
          return;
        }
        String text = m == Mode.ECHO_PATH ? x.getRequestURI().getRawPath() : body;
        int code = m == Mode.ECHO_PATH ? 200 : status;
        for (Map.Entry<String, String> e :
            (m == Mode.ECHO_PATH ? Map.<String, String>of() : headers).entrySet()) {
          x.getResponseHeaders().add(e.getKey(), e.getValue());
        }
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        boolean noBody = code == 204 || code == 304 || out.length == 0;
        x.sendResponseHeaders(code, noBody ? -1 : out.length);
        if (!noBody) {
          try (OutputStream o = x.getResponseBody()) {
            o.write(out);
          }
        }
      }
    }

    private static String rawQuery(HttpExchange x) {
      String q = x.getRequestURI().getRawQuery();
      return q == null ? "" : "?" + q;
    }

    /** Header names as the client sent them, looked up in any case. */
    private static Map<String, List<String>> caseless(Map<String, List<String>> h) {
      Map<String, List<String>> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      out.putAll(h);
      return out;
    }

    @Override
    public void close() {
      released.countDown();
      http.stop(0);
      pool.shutdownNow();
    }
  }
}
