package dev.beckon.send;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * How {@link BotConnectorSender} puts bytes on the wire: bring your own HTTP client by
 * implementing this (the default is a pooled, async Apache HttpClient 5 client that Beckon owns).
 * Beckon keeps trust checks, tokens, retries and outcome classification; a transport only moves
 * one request and its response.
 *
 * <pre>{@code
 * HttpTransport mine = (request, timeout) -> myClient.send(request).thenApply(...);
 * BotConnectorSender sender = BotConnectorSender.builder().anonymous().transport(mine).build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe and must not follow redirects or retry by themselves.
 * A failure completes the future exceptionally: with {@link NotSentException} when the request
 * certainly did not reach the server (it is then safe to retry), with anything else when it may
 * have. {@link BotConnectorSender#close()} does not close a transport it did not create.
 */
@FunctionalInterface
public interface HttpTransport {

  /**
   * One request.
   *
   * @param method {@code POST}, {@code PUT} or {@code DELETE}
   * @param uri the full URL
   * @param headers request headers (Content-Type, Authorization, User-Agent, …)
   * @param body the body, or {@code null}
   */
  record Request(String method, URI uri, Map<String, String> headers, byte @Nullable [] body) {
    /** Freezes the headers. */
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(uri, "uri");
      headers = Map.copyOf(headers);
    }
  }

  /**
   * One response.
   *
   * @param status the HTTP status
   * @param headers response headers, names in lower case
   * @param body the body text ({@code ""} when empty)
   */
  record Response(int status, Map<String, String> headers, String body) {
    /** Freezes the headers. */
    public Response {
      headers = Map.copyOf(headers);
      Objects.requireNonNull(body, "body");
    }

    /**
     * A header value.
     *
     * @param name any case
     * @return the value or {@code null}
     */
    public @Nullable String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** The request certainly did not reach the server (connection refused, unknown host, …). */
  final class NotSentException extends dev.beckon.BeckonException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the I/O failure
     */
    public NotSentException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Sends one request.
   *
   * @param request the request
   * @param responseTimeout how long to wait for the response once sent
   * @return the response, or a failed future
   */
  CompletableFuture<Response> execute(Request request, Duration responseTimeout);
}
