package dev.beckon.send.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * How {@link dev.beckon.send.BotConnectorSender} puts bytes on the wire: bring your own HTTP client
 * by implementing this (the default is a pooled, async Apache HttpClient 5 client that Beckon
 * owns). Beckon keeps trust checks, tokens, retries and outcome classification; a transport only
 * moves one request and its response.
 *
 * <pre>{@code
 * HttpTransport mine = (request, timeout) -> myClient.send(request).thenApply(...);
 * BotConnectorSender sender = BotConnectorSender.builder().anonymous().transport(mine).build();
 * }</pre>
 *
 * <p>The contract for transport authors:
 *
 * <ul>
 *   <li>Be thread-safe; do not follow redirects and do not retry by yourself.
 *   <li>Read at most {@link Request#maxResponseBytes()} + 1 bytes of a response body, then stop
 *       reading and close that connection. Beckon treats a body longer than {@code
 *       maxResponseBytes} (in UTF-8 bytes) as oversize and reads no id and no error code from it,
 *       whatever the transport did; reading it all first only costs your memory. Bound the response
 *       headers too.
 *   <li>Complete the future exceptionally with {@link InvalidRequestException} when your client
 *       refuses the request itself before sending anything (an invalid URI or header): the send is
 *       then {@link dev.beckon.send.SendOutcome.Kind#REJECTED}. With {@link NotSentException} when
 *       the request certainly did not leave (connection refused, unknown host, TLS handshake
 *       failure, a pool timeout): it is then safe to retry, and the send ends {@link
 *       dev.beckon.send.SendOutcome.Kind#FAILED}. With anything else when it may have been sent: a
 *       POST then ends {@link dev.beckon.send.SendOutcome.Kind#UNKNOWN}. An exception thrown by
 *       {@link #execute} itself counts as not sent ({@link IllegalArgumentException} as an invalid
 *       request).
 *   <li>Give up when the {@code timeout} passed to {@link #execute} has elapsed. Beckon also
 *       cancels the returned future when the send's {@link dev.beckon.send.Timeouts#overall()}
 *       deadline has passed: abort the exchange then and release its connection.
 * </ul>
 *
 * {@link dev.beckon.send.BotConnectorSender#close()} does not close a transport it did not create.
 */
@FunctionalInterface
public interface HttpTransport {

  /**
   * The default {@link Request#maxResponseBytes()}: 64 KiB, far more than the connector ever
   * answers.
   */
  int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

  /**
   * One request.
   *
   * @param method {@code POST}, {@code PUT} or {@code DELETE}
   * @param uri the full URL
   * @param headers request headers (Content-Type, Authorization, User-Agent, …)
   * @param body the body, or {@code null}
   * @param maxResponseBytes the largest response body Beckon reads (see the class comment)
   */
  @SuppressWarnings(
      "ArrayRecordComponent") // the bytes to send; a Request is never compared or hashed
  record Request(
      String method,
      URI uri,
      Map<String, String> headers,
      byte @Nullable [] body,
      int maxResponseBytes) {
    /**
     * Freezes the headers and validates.
     *
     * @param method {@code POST}, {@code PUT} or {@code DELETE}
     * @param uri the full URL
     * @param headers request headers (Content-Type, Authorization, User-Agent, …)
     * @param body the body, or {@code null}
     * @param maxResponseBytes the largest response body Beckon reads (see the class comment)
     */
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(uri, "uri");
      headers = Map.copyOf(headers);
      if (maxResponseBytes < 1) {
        throw new IllegalArgumentException(
            "maxResponseBytes must be positive but was " + maxResponseBytes);
      }
    }

    /**
     * A request with the default response bound ({@link #DEFAULT_MAX_RESPONSE_BYTES}).
     *
     * @param method {@code POST}, {@code PUT} or {@code DELETE}
     * @param uri the full URL
     * @param headers request headers
     * @param body the body, or {@code null}
     */
    public Request(String method, URI uri, Map<String, String> headers, byte @Nullable [] body) {
      this(method, uri, headers, body, DEFAULT_MAX_RESPONSE_BYTES);
    }

    /** Names the method and URL only: the headers hold the bot's token. */
    @Override
    public String toString() {
      return "Request[" + method + " " + uri + "]";
    }
  }

  /**
   * One response.
   *
   * @param status the HTTP status
   * @param headers response headers, names in lower case
   * @param body the body text ({@code ""} when empty), decoded as UTF-8; longer than the request's
   *     {@code maxResponseBytes} when the transport stopped reading an oversize body
   */
  record Response(int status, Map<String, String> headers, String body) {
    /**
     * Freezes the headers.
     *
     * @param status the HTTP status
     * @param headers response headers, names in lower case
     * @param body the body text ({@code ""} when empty), decoded as UTF-8; longer than the
     *     request's {@code maxResponseBytes} when the transport stopped reading an oversize body
     */
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
   * The HTTP client refused the request itself before sending anything (an invalid URI, userinfo in
   * the URI, an invalid header): sending it again cannot help.
   */
  final class InvalidRequestException extends dev.beckon.BeckonException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the request
     * @param cause the client's refusal
     */
    public InvalidRequestException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Sends one request.
   *
   * @param request the request
   * @param timeout the longest this exchange may take from now to the end of its response
   *     (connecting included): the smaller of {@link dev.beckon.send.Timeouts#response()} and what
   *     is left of {@link dev.beckon.send.Timeouts#overall()}
   * @return the response, or a failed future (see the class comment)
   */
  CompletableFuture<Response> execute(Request request, Duration timeout);
}
