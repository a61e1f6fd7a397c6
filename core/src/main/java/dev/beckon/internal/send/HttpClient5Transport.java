package dev.beckon.internal.send;

import dev.beckon.send.transport.HttpTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The default transport: a pooled, keep-alive, HTTP/1.1 async Apache HttpClient 5 client.
 *
 * <p>Bounded: a response body is streamed and read up to {@code maxResponseBytes} + 1 bytes, then
 * the exchange is aborted and its connection closed; a response header line is at most {@link
 * #MAX_HEADER_LINE} characters and there are at most {@link #MAX_HEADERS} headers (else the
 * exchange fails). Each exchange ends by its {@code timeout} (within one sweep of the {@link
 * Deadlines} it is registered in, at most {@link Deadlines#tick()} later): then it is cancelled and
 * its connection closed.
 *
 * <p>Whether a failure happened before any byte of the request left is decided in one place: a last
 * request interceptor marks the exchange "sent" just before HttpClient hands the request head to
 * the connection. A failure before that mark is {@link InvalidRequestException} when the client
 * refused the request itself ({@code userinfo} in the URI, an invalid header or URI: an {@link
 * HttpException} or {@link IllegalArgumentException}), else {@link NotSentException} (connection
 * refused, unknown host, connect or pool timeout, TLS handshake failure, a pooled connection closed
 * before use). A failure after it is passed on as is: the request may have been delivered.
 */
public final class HttpClient5Transport implements HttpTransport, AutoCloseable {

  /** The longest response status or header line read, in characters. */
  public static final int MAX_HEADER_LINE = 8 * 1024;

  /** The most response headers read. */
  public static final int MAX_HEADERS = 100;

  // written literally as the official SDKs send it: "application/json; charset=utf-8"
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final ContentType JSON =
      ContentType.create("application/json", new BasicNameValuePair("charset", "utf-8"));

  /** The response headers the connector client reads (lower case); the others are not copied. */
  private static final List<String> READ_HEADERS =
      List.of("ms-cv", "x-correlating-operationid", "retry-after");

  /** The context attribute set when the request head is handed to the connection. */
  private static final String SENT = "dev.beckon.sent";

  private final CloseableHttpAsyncClient http;
  private final Deadlines deadlines;
  private final boolean ownsDeadlines;

  /**
   * Creates and starts the client, with deadlines of its own swept on {@code timer}.
   *
   * @param connect the connect timeout
   * @param response the longest one exchange, or a silent connection, may take
   * @param overall the longest a request may wait for a pooled connection
   * @param maxConnections pool size (total and per host)
   * @param ioThreads I/O reactor threads
   * @param timer runs the sweep that ends exchanges at their timeout (owned by the caller)
   */
  public HttpClient5Transport(
      Duration connect,
      Duration response,
      Duration overall,
      int maxConnections,
      int ioThreads,
      ScheduledExecutorService timer) {
    this(
        connect,
        response,
        overall,
        maxConnections,
        ioThreads,
        new Deadlines(timer, Deadlines.tickFor(response)),
        true);
  }

  /**
   * Creates and starts the client, registering each exchange's timeout in {@code deadlines}.
   *
   * @param connect the connect timeout
   * @param response the longest one exchange, or a silent connection, may take
   * @param overall the longest a request may wait for a pooled connection
   * @param maxConnections pool size (total and per host)
   * @param ioThreads I/O reactor threads
   * @param deadlines ends exchanges at their timeout (owned by the caller)
   */
  public HttpClient5Transport(
      Duration connect,
      Duration response,
      Duration overall,
      int maxConnections,
      int ioThreads,
      Deadlines deadlines) {
    this(connect, response, overall, maxConnections, ioThreads, deadlines, false);
  }

  private HttpClient5Transport(
      Duration connect,
      Duration response,
      Duration overall,
      int maxConnections,
      int ioThreads,
      Deadlines deadlines,
      boolean ownsDeadlines) {
    this.deadlines = deadlines;
    this.ownsDeadlines = ownsDeadlines;
    this.http =
        HttpAsyncClients.custom()
            .setConnectionManager(
                PoolingAsyncClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(maxConnections)
                    .setMaxConnPerRoute(maxConnections)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.of(connect))
                            .setSocketTimeout(Timeout.of(response))
                            .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                            .setTimeToLive(TimeValue.ofMinutes(5))
                            .build())
                    // HTTP/1.1 only (the Connector speaks it); TlsConfig is where 5.4+ takes the
                    // version policy
                    .setDefaultTlsConfig(
                        TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                    .build())
            .setHttp1Config(
                Http1Config.custom()
                    .setMaxLineLength(MAX_HEADER_LINE)
                    .setMaxHeaderCount(MAX_HEADERS)
                    .build())
            .setIOReactorConfig(
                IOReactorConfig.custom()
                    .setIoThreadCount(ioThreads)
                    .setSoKeepAlive(true)
                    .setTcpNoDelay(true)
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setResponseTimeout(Timeout.of(response))
                    .setConnectionRequestTimeout(Timeout.of(overall))
                    .build())
            .addRequestInterceptorLast(
                (request, entity, context) -> context.setAttribute(SENT, true))
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableConnectionState()
            .evictIdleConnections(TimeValue.ofMinutes(1))
            .build();
    this.http.start();
  }

  @Override
  public CompletableFuture<Response> execute(Request request, Duration timeout) {
    CompletableFuture<Response> f = new CompletableFuture<>();
    HttpClientContext context = HttpClientContext.create();
    SimpleHttpRequest req;
    try {
      req = request(request);
    } catch (RuntimeException e) {
      f.completeExceptionally(classify(e, false));
      return f;
    }
    BoundedConsumer consumer = new BoundedConsumer(request.maxResponseBytes());
    Exchange x = new Exchange(deadline(timeout), f, consumer, context, timeout);
    Future<Response> exchange;
    try {
      exchange = http.execute(SimpleRequestProducer.create(req), consumer, null, context, x);
    } catch (RuntimeException e) {
      f.completeExceptionally(classify(e, sent(context)));
      return f;
    }
    x.exchange = exchange;
    if (!deadlines.add(x)) {
      x.expire(true); // the sender is closing: end the exchange now
      return f;
    }
    // a cleanup stage (f is what the caller waits on): an exchange that completed before it was
    // registered leaves the registry here, and one the caller cancelled releases its connection
    var unused =
        f.whenComplete(
            (r, e) -> {
              deadlines.remove(x);
              if (f.isCancelled()) {
                consumer.abort();
                exchange.cancel(
                    true); // the caller gave up (the overall deadline): release the connection
              }
            });
    return f;
  }

  private static long deadline(Duration timeout) {
    long nanos;
    try {
      nanos = Math.max(1, timeout.toNanos());
    } catch (ArithmeticException huge) {
      nanos = Long.MAX_VALUE / 4;
    }
    return System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
  }

  /**
   * One exchange: its callback, and its deadline, at which it fails with a timeout and is
   * cancelled. It leaves the registry before its future completes, so nothing of it is registered
   * once the caller sees the answer.
   */
  private final class Exchange extends Deadlines.Entry implements FutureCallback<Response> {
    private final CompletableFuture<Response> f;
    private final BoundedConsumer consumer;
    private final HttpClientContext context;
    private final Duration timeout;
    volatile @Nullable Future<Response> exchange;

    Exchange(
        long deadline,
        CompletableFuture<Response> f,
        BoundedConsumer consumer,
        HttpClientContext context,
        Duration timeout) {
      super(deadline);
      this.f = f;
      this.consumer = consumer;
      this.context = context;
      this.timeout = timeout;
    }

    @Override
    public void completed(Response r) {
      deadlines.remove(this);
      f.complete(r);
    }

    @Override
    public void failed(Exception e) {
      deadlines.remove(this);
      Oversize o = oversize(e);
      if (o != null) {
        f.complete(o.response);
      } else {
        f.completeExceptionally(classify(e, sent(context)));
      }
    }

    @Override
    public void cancelled() {
      deadlines.remove(this);
      f.completeExceptionally(
          classify(new java.util.concurrent.CancellationException("cancelled"), sent(context)));
    }

    @Override
    protected void expire(boolean closing) {
      if (!f.isDone()) {
        f.completeExceptionally(
            classify(
                closing
                    ? new java.util.concurrent.CancellationException("the sender was closed")
                    : new TimeoutException(
                        "no complete response within " + timeout.toMillis() + " ms"),
                sent(context)));
        consumer.abort();
        Future<Response> e = exchange;
        if (e != null) {
          // closes the connection; after completing, as it reports a cancellation too
          e.cancel(true);
        }
      }
    }
  }

  private static SimpleHttpRequest request(Request request) {
    SimpleRequestBuilder b = SimpleRequestBuilder.create(request.method()).setUri(request.uri());
    String contentType = null;
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase("Content-Type")) {
        contentType = h.getValue();
      } else {
        b.addHeader(h.getKey(), h.getValue());
      }
    }
    if (request.body() != null) {
      b.setBody(
          request.body(),
          contentType == null || contentType.equals(JSON_TYPE)
              ? JSON
              : ContentType.parse(contentType));
    }
    return b.build();
  }

  private static boolean sent(HttpClientContext context) {
    return context.getAttribute(SENT) != null;
  }

  /**
   * The one classification of a failed exchange.
   *
   * @param e the failure
   * @param sent whether the request head had been handed to the connection
   * @return what the future fails with
   */
  static Throwable classify(Throwable e, boolean sent) {
    if (sent) {
      return e;
    }
    String what =
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    if (e instanceof HttpException || e instanceof IllegalArgumentException) {
      return new InvalidRequestException("the HTTP client refused the request: " + what, e);
    }
    return new NotSentException(what, e);
  }

  private static @Nullable Oversize oversize(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Oversize o) {
        return o;
      }
    }
    return null;
  }

  /** Aborts an exchange whose body is longer than the bound, carrying what was read. */
  private static final class Oversize extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Response response;

    Oversize(Response response) {
      super("response body over the limit");
      this.response = response;
    }
  }

  /** Streams a response, keeping at most {@code max} + 1 bytes of its body (UTF-8, as JSON is). */
  private static final class BoundedConsumer implements AsyncResponseConsumer<Response> {
    private final int max;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    private int status;
    private Map<String, String> headers = Map.of();
    private @Nullable FutureCallback<Response> result;
    private volatile boolean aborted;

    BoundedConsumer(int max) {
      this.max = max;
    }

    /**
     * Fails the exchange at the next bytes that arrive (which closes its connection), should
     * cancelling not.
     */
    void abort() {
      aborted = true;
    }

    @Override
    public void consumeResponse(
        HttpResponse response,
        @Nullable EntityDetails entity,
        HttpContext context,
        FutureCallback<Response> callback) {
      this.result = callback;
      this.status = response.getCode();
      Map<String, String> h = new HashMap<>(4);
      for (String name : READ_HEADERS) {
        Header header = response.getFirstHeader(name);
        if (header != null && header.getValue() != null) {
          h.put(name, header.getValue());
        }
      }
      this.headers = h;
      if (entity == null) {
        callback.completed(response());
      }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
      // 1xx: nothing to keep
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
      channel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
      if (aborted) {
        throw new java.io.InterruptedIOException("the exchange timed out");
      }
      int room = max + 1 - body.size();
      int n = Math.min(room, src.remaining());
      byte[] chunk = new byte[n];
      src.get(chunk);
      body.write(chunk, 0, n);
      if (body.size() > max) {
        throw new Oversize(response());
      }
    }

    @Override
    public void streamEnd(@Nullable List<? extends Header> trailers) {
      FutureCallback<Response> r = result;
      if (r != null) {
        r.completed(response());
      }
    }

    @Override
    public void failed(Exception cause) {
      // reported through the exchange's callback
    }

    @Override
    public void releaseResources() {
      // nothing pooled
    }

    private Response response() {
      return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    if (ownsDeadlines) {
      deadlines.close();
    }
    http.close(CloseMode.GRACEFUL);
  }
}
