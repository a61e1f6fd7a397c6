package dev.beckon.internal.send;

import dev.beckon.send.HttpTransport;
import dev.beckon.send.Timeouts;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/** The default transport: a pooled, keep-alive, HTTP/1.1 async Apache HttpClient 5 client. */
public final class HttpClient5Transport implements HttpTransport, AutoCloseable {

  // written literally as the official SDKs send it: "application/json; charset=utf-8"
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final ContentType JSON = ContentType.create("application/json", new BasicNameValuePair("charset", "utf-8"));

  /** The response headers the connector client reads (lower case); the others are not copied. */
  private static final List<String> READ_HEADERS = List.of("ms-cv", "x-correlating-operationid", "retry-after");

  private final CloseableHttpAsyncClient http;

  /**
   * Creates and starts the client.
   *
   * @param timeouts connect, response and overall timeouts
   * @param maxConnections pool size (total and per host)
   * @param ioThreads I/O reactor threads
   */
  public HttpClient5Transport(Timeouts timeouts, int maxConnections, int ioThreads) {
    this.http = HttpAsyncClients.custom()
        .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(maxConnections)
            .setMaxConnPerRoute(maxConnections)
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(timeouts.connect()))
                .setSocketTimeout(Timeout.of(timeouts.response()))
                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                .setTimeToLive(TimeValue.ofMinutes(5))
                .build())
            .build())
        .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
        .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(ioThreads).setSoKeepAlive(true)
            .setTcpNoDelay(true).build())
        .setDefaultRequestConfig(RequestConfig.custom()
            .setResponseTimeout(Timeout.of(timeouts.response()))
            .setConnectionRequestTimeout(Timeout.of(timeouts.overall()))
            .build())
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableConnectionState()
        .evictIdleConnections(TimeValue.ofMinutes(1))
        .build();
    this.http.start();
  }

  @Override
  public CompletableFuture<Response> execute(Request request, Duration responseTimeout) {
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
      b.setBody(request.body(), contentType == null || contentType.equals(JSON_TYPE) ? JSON : ContentType.parse(contentType));
    }
    SimpleHttpRequest req = b.build();
    CompletableFuture<Response> f = new CompletableFuture<>();
    http.execute(req, new FutureCallback<SimpleHttpResponse>() {
      @Override
      public void completed(SimpleHttpResponse r) {
        Map<String, String> headers = new HashMap<>(4);
        for (String name : READ_HEADERS) {
          Header h = r.getFirstHeader(name);
          if (h != null) {
            headers.put(name, h.getValue());
          }
        }
        String body = r.getBodyText();
        f.complete(new Response(r.getCode(), headers, body == null ? "" : body));
      }

      @Override
      public void failed(Exception e) {
        boolean notSent = e instanceof ConnectException || e instanceof ConnectTimeoutException
            || e instanceof UnknownHostException || e instanceof NoRouteToHostException;
        f.completeExceptionally(notSent ? new NotSentException(e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()), e) : e);
      }

      @Override
      public void cancelled() {
        f.cancel(false);
      }
    });
    return f;
  }

  @Override
  public void close() {
    http.close(CloseMode.GRACEFUL);
  }
}
