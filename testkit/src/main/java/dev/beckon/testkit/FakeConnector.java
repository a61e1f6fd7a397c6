package dev.beckon.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.beckon.activity.Activity;
import dev.beckon.codec.ActivityJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Bot Connector on 127.0.0.1 for tests: real HTTP, the REST v3 endpoints a proactive bot uses, a
 * fake Entra ID token endpoint, a record of every request, and scriptable faults.
 *
 * <pre>{@code
 * try (FakeConnector connector = FakeConnector.start()) {
 *   ConversationReference ref = ...withServiceUrl(connector.serviceUrl());
 *   connector.failNext(FakeConnector.Fault.throttled(Duration.ofSeconds(1)));
 *   sender.send(ref, Activity.message("hi"));
 *   assertThat(connector.activities(ref.conversation().id())).extracting(Activity::text).containsExactly("hi");
 * }
 * }</pre>
 *
 * <p>Endpoints (under any path prefix, e.g. {@code /amer/}): {@code POST
 * …/v3/conversations/{id}/activities}, {@code POST|PUT|DELETE …/activities/{activityId}}, {@code
 * POST …/v3/conversations}, and {@code POST /token} (client credentials; see {@link
 * #tokenRequests()}). Faults apply in this order: per-conversation queue, global queue, random mix.
 * Thread-safe.
 */
public final class FakeConnector implements AutoCloseable {

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
    // and the client's delayed ACK add ~40 ms to every response. Read once per JVM, so set early.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final Pattern ROUTE =
      Pattern.compile("^(.*?)/v3/conversations(?:/([^/]+)(?:/activities(?:/([^/]+))?)?)?/?$");

  /**
   * A recorded request.
   *
   * @param method HTTP method
   * @param rawPath the path as sent (still percent-encoded)
   * @param conversationId the decoded conversation id, or {@code null} for create-conversation
   * @param activityId the decoded activity id of a reply/update/delete, or {@code null}
   * @param headers request headers (names lower-cased)
   * @param body the body text
   * @param receivedNanos {@link System#nanoTime()} when the server received it
   * @param status the status answered
   */
  public record Request(
      String method,
      String rawPath,
      @Nullable String conversationId,
      @Nullable String activityId,
      Map<String, List<String>> headers,
      String body,
      long receivedNanos,
      int status) {

    /**
     * A header's first value.
     *
     * @param name case-insensitive
     * @return the value or {@code null}
     */
    public @Nullable String header(String name) {
      List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * The body as an activity.
     *
     * @return the activity
     */
    public Activity activity() {
      return ActivityJson.read(body);
    }
  }

  /** How a fault's answer is put on the wire: the hostile shapes test the sender's bounds. */
  public enum Shape {
    /** As is: {@code Content-Length} and the body. */
    NORMAL,
    /**
     * Chunked, the body then an endless run of {@code a} (up to 2 GiB), until the client hangs up.
     */
    ENDLESS_BODY,
    /** Chunked, one byte of the body per second. */
    TRICKLE,
    /** One response header of 1 MiB. */
    HUGE_HEADER,
    /** 10,000 response headers. */
    MANY_HEADERS
  }

  /**
   * An injected answer.
   *
   * @param status the status to answer (0 = drop the connection without answering)
   * @param body the body
   * @param retryAfter the Retry-After header value, or {@code null}
   * @param delay how long to wait before answering
   * @param shape how the answer is written
   */
  public record Fault(
      int status, String body, @Nullable String retryAfter, Duration delay, Shape shape) {

    /**
     * A fault written as is.
     *
     * @param status the status to answer (0 = drop the connection without answering)
     * @param body the body
     * @param retryAfter the Retry-After header value, or {@code null}
     * @param delay how long to wait before answering
     */
    public Fault(int status, String body, @Nullable String retryAfter, Duration delay) {
      this(status, body, retryAfter, delay, Shape.NORMAL);
    }

    /**
     * Any status and body, written as is.
     *
     * @param status the status
     * @param body the body
     * @return the fault
     */
    public static Fault answer(int status, String body) {
      return new Fault(status, body, null, Duration.ZERO);
    }

    /**
     * A status and body written in a hostile shape.
     *
     * @param status the status
     * @param body the body (the start of it, for {@link Shape#ENDLESS_BODY})
     * @param shape the shape
     * @return the fault
     */
    public static Fault shaped(int status, String body, Shape shape) {
      return new Fault(status, body, null, Duration.ZERO, shape);
    }

    /**
     * 429 with any {@code Retry-After} value (an HTTP date, garbage, a huge number).
     *
     * @param retryAfter the header value
     * @return the fault
     */
    public static Fault throttledWith(String retryAfter) {
      return new Fault(
          429,
          "{\"error\":{\"code\":\"Throttled\",\"message\":\"Too many requests\"}}",
          retryAfter,
          Duration.ZERO);
    }

    /**
     * 429 with {@code Retry-After} in seconds.
     *
     * @param retryAfter the wait
     * @return the fault
     */
    public static Fault throttled(Duration retryAfter) {
      return new Fault(
          429,
          "{\"error\":{\"code\":\"Throttled\",\"message\":\"Too many requests\"}}",
          Long.toString(retryAfter.toSeconds()),
          Duration.ZERO);
    }

    /**
     * An HTTP error with a Bot Framework error body ({@code {"error":{"code","message"}}}).
     *
     * @param status the status
     * @param code the error code
     * @return the fault
     */
    public static Fault error(int status, String code) {
      return new Fault(
          status,
          "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + code + "\"}}",
          null,
          Duration.ZERO);
    }

    /**
     * A Teams-shaped error ({@code {"errorCode":209,"message":"{\"subCode\":…}"}}).
     *
     * @param status the status
     * @param subCode e.g. {@code MessageWritesBlocked}
     * @return the fault
     */
    public static Fault teamsError(int status, String subCode) {
      return new Fault(
          status,
          "{\"errorCode\":209,\"message\":\"{\\\"subCode\\\":\\\""
              + subCode
              + "\\\",\\\"details\\\":\\\"blocked\\\"}\"}",
          null,
          Duration.ZERO);
    }

    /**
     * Waits, then answers normally.
     *
     * @param delay the wait
     * @return the fault
     */
    public static Fault delay(Duration delay) {
      return new Fault(-1, "", null, delay);
    }

    /**
     * Reads the request, then closes the connection without answering.
     *
     * @return the fault
     */
    public static Fault drop() {
      return new Fault(0, "", null, Duration.ZERO);
    }
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Fault> global = new ArrayDeque<>();
  private final Deque<Fault> token = new ArrayDeque<>();
  private final Map<String, Deque<Fault>> perConversation = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong tokenRequests = new AtomicLong();
  private final AtomicLong abortedByClient = new AtomicLong();
  private final AtomicLong bodyBytesWritten = new AtomicLong();
  private volatile @Nullable RandomFaults random;
  private volatile boolean record = true;

  @SuppressWarnings("ArrayRecordComponent") // private, never compared: the array is only read
  private record RandomFaults(Random random, List<Fault> faults, double[] cumulative) {}

  private FakeConnector(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /**
   * Starts a connector on 127.0.0.1 with an ephemeral port.
   *
   * @return the running connector
   */
  public static FakeConnector start() {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
      ExecutorService pool =
          Executors.newFixedThreadPool(
              16,
              r -> {
                Thread t = new Thread(r, "fake-connector");
                t.setDaemon(true);
                return t;
              });
      http.setExecutor(pool);
      FakeConnector c = new FakeConnector(http, pool);
      http.createContext("/", c::handle);
      http.start();
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A service URL on this connector.
   *
   * @return e.g. {@code http://127.0.0.1:40123/amer/}
   */
  public String serviceUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/amer/";
  }

  /**
   * The server's base URL, to build service URLs with other paths.
   *
   * @return e.g. {@code http://127.0.0.1:40123}
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * The fake token endpoint (client credentials).
   *
   * @return e.g. {@code http://127.0.0.1:40123/token}
   */
  public java.net.URI tokenEndpoint() {
    return java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  /**
   * Answers the next requests (any conversation) with these faults, in order.
   *
   * @param faults the faults
   */
  public void failNext(Fault... faults) {
    synchronized (global) {
      global.addAll(List.of(faults));
    }
  }

  /**
   * Answers the next token requests with these faults, in order.
   *
   * @param faults the faults
   */
  public void failNextToken(Fault... faults) {
    synchronized (token) {
      token.addAll(List.of(faults));
    }
  }

  /**
   * Answers the next requests to one conversation with these faults, in order.
   *
   * @param conversationId the conversation
   * @param faults the faults
   */
  public void failNext(String conversationId, Fault... faults) {
    Deque<Fault> q = perConversation.computeIfAbsent(conversationId, k -> new ArrayDeque<>());
    synchronized (q) {
      q.addAll(List.of(faults));
    }
  }

  /**
   * Answers requests with faults at random (seeded): e.g. {@code Map.of(throttled(1s), 0.10,
   * error(503, "ServiceUnavailable"), 0.05)}. The rest succeed.
   *
   * @param seed the seed
   * @param mix fault → probability (sum at most 1)
   */
  public void randomFaults(long seed, Map<Fault, Double> mix) {
    List<Fault> faults = new ArrayList<>(mix.keySet());
    faults.sort(java.util.Comparator.comparing(Fault::status).thenComparing(Fault::body));
    double[] cum = new double[faults.size()];
    double sum = 0;
    for (int i = 0; i < faults.size(); i++) {
      sum += Objects.requireNonNull(mix.get(faults.get(i)), "a key of mix");
      cum[i] = sum;
    }
    if (sum > 1.0 + 1e-9) {
      throw new IllegalArgumentException("fault probabilities add up to " + sum);
    }
    random = new RandomFaults(new Random(seed), faults, cum);
  }

  /**
   * Whether to keep a record of requests (turn off for long benchmarks).
   *
   * @param value whether to record
   */
  public void recordRequests(boolean value) {
    this.record = value;
  }

  /**
   * Every request received, in arrival order.
   *
   * @return the requests
   */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /**
   * The activities posted (sends and replies answered with 2xx) into one conversation.
   *
   * @param conversationId the conversation
   * @return the activities, in arrival order
   */
  public List<Activity> activities(String conversationId) {
    List<Activity> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.method().equals("POST")
          && conversationId.equals(r.conversationId())
          && r.status() < 300) {
        out.add(r.activity());
      }
    }
    return out;
  }

  /**
   * How many token requests were received.
   *
   * @return the count
   */
  public long tokenRequests() {
    return tokenRequests.get();
  }

  /** Forgets recorded requests and scripted faults. */
  public void reset() {
    requests.clear();
    synchronized (global) {
      global.clear();
    }
    perConversation.clear();
    random = null;
  }

  private @Nullable Fault nextFault(@Nullable String conversationId) {
    if (conversationId != null) {
      Deque<Fault> q = perConversation.get(conversationId);
      if (q != null) {
        synchronized (q) {
          Fault f = q.pollFirst();
          if (f != null) {
            return f;
          }
        }
      }
    }
    synchronized (global) {
      Fault f = global.pollFirst();
      if (f != null) {
        return f;
      }
    }
    RandomFaults r = random;
    if (r != null) {
      double x;
      synchronized (r.random()) {
        x = r.random().nextDouble();
      }
      for (int i = 0; i < r.cumulative().length; i++) {
        if (x < r.cumulative()[i]) {
          return r.faults().get(i);
        }
      }
    }
    return null;
  }

  private void handle(HttpExchange ex) throws IOException {
    long received = System.nanoTime();
    try (ex) {
      String method = ex.getRequestMethod();
      String raw = ex.getRequestURI().getRawPath();
      byte[] in = ex.getRequestBody().readAllBytes();
      if (raw.equals("/token") && method.equals("POST")) {
        long n = tokenRequests.incrementAndGet();
        Fault tf;
        synchronized (token) {
          tf = token.pollFirst();
        }
        if (tf != null && tf.status() > 0) {
          answer(ex, tf.status(), tf.body(), tf.retryAfter());
          return;
        }
        answer(
            ex,
            200,
            "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"ext_expires_in\":3600,\"access_token\":\"fake-token-"
                + n
                + "\"}",
            null);
        return;
      }
      Matcher m = ROUTE.matcher(raw);
      if (!m.matches()) {
        answer(
            ex, 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no such endpoint\"}}", null);
        return;
      }
      String conversation =
          m.group(2) == null
              ? null
              : URLDecoder.decode(m.group(2).replace("+", "%2B"), StandardCharsets.UTF_8);
      String activityId =
          m.group(3) == null
              ? null
              : URLDecoder.decode(m.group(3).replace("+", "%2B"), StandardCharsets.UTF_8);
      Fault fault = nextFault(conversation);
      if (fault != null && !fault.delay().isZero()) {
        try {
          Thread.sleep(fault.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int status;
      String body;
      String retryAfter = null;
      if (fault != null && fault.status() == 0) {
        record(method, raw, conversation, activityId, ex, in, received, 0);
        ex.getResponseBody().close();
        throw new IOException("dropped on purpose"); // the JDK server then closes the connection
      } else if (fault != null && fault.status() > 0) {
        status = fault.status();
        body = fault.body();
        retryAfter = fault.retryAfter();
      } else if (conversation == null) {
        status = 201;
        body =
            "{\"id\":\"new-conversation-"
                + ids.incrementAndGet()
                + "\",\"activityId\":\"first-"
                + ids.get()
                + "\"}";
      } else if (method.equals("DELETE")) {
        status = 200;
        body = "";
      } else {
        status = 200;
        body =
            "{\"id\":\""
                + (method.equals("PUT") && activityId != null
                    ? activityId
                    : "activity-" + ids.incrementAndGet())
                + "\"}";
      }
      record(method, raw, conversation, activityId, ex, in, received, status);
      Shape shape = fault == null ? Shape.NORMAL : fault.shape();
      if (shape == Shape.NORMAL) {
        answer(ex, status, body, retryAfter);
      } else {
        answerShaped(ex, status, body, shape);
      }
    }
  }

  private void answerShaped(HttpExchange ex, int status, String body, Shape shape)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    if (shape == Shape.HUGE_HEADER) {
      ex.getResponseHeaders().add("X-Huge", "h".repeat(1024 * 1024));
    } else if (shape == Shape.MANY_HEADERS) {
      for (int i = 0; i < 10_000; i++) {
        ex.getResponseHeaders().add("X-Many-" + i, "v");
      }
    }
    boolean stream = shape == Shape.ENDLESS_BODY || shape == Shape.TRICKLE;
    ex.sendResponseHeaders(status, stream ? 0 : bytes.length == 0 ? -1 : bytes.length);
    OutputStream out = ex.getResponseBody();
    try {
      if (shape == Shape.TRICKLE) {
        for (byte b : bytes) {
          out.write(b);
          out.flush();
          Thread.sleep(1000);
        }
      } else if (shape == Shape.ENDLESS_BODY) {
        out.write(bytes);
        byte[] pad = new byte[64 * 1024];
        java.util.Arrays.fill(pad, (byte) 'a');
        for (long sent = 0; sent < (2L << 30); sent += pad.length) {
          out.write(pad);
          bodyBytesWritten.addAndGet(pad.length);
        }
      } else {
        out.write(bytes);
      }
      out.close();
    } catch (IOException hungUp) {
      abortedByClient.incrementAndGet();
      throw hungUp;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * How many shaped answers ({@link Shape#ENDLESS_BODY}, {@link Shape#TRICKLE}) the client hung up
   * on.
   *
   * @return the count
   */
  public long abortedByClient() {
    return abortedByClient.get();
  }

  /**
   * How many bytes of endless bodies were written.
   *
   * @return the count
   */
  public long endlessBytesWritten() {
    return bodyBytesWritten.get();
  }

  private void record(
      String method,
      String raw,
      @Nullable String conversation,
      @Nullable String activityId,
      HttpExchange ex,
      byte[] in,
      long received,
      int status) {
    if (!record) {
      return;
    }
    Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
    ex.getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
    requests.add(
        new Request(
            method,
            raw,
            conversation,
            activityId,
            headers,
            new String(in, StandardCharsets.UTF_8),
            received,
            status));
  }

  private static void answer(HttpExchange ex, int status, String body, @Nullable String retryAfter)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (!body.isEmpty()) {
      ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    }
    ex.getResponseHeaders().add("MS-CV", "fake-cv-" + Long.toHexString(System.nanoTime()));
    if (retryAfter != null) {
      ex.getResponseHeaders().add("Retry-After", retryAfter);
    }
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
