package dev.beckon.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.internal.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One OAuth2 token endpoint, asked with a form: the exchange every core {@code TokenProvider}
 * shares. The answer is read up to {@link #MAX_RESPONSE_BYTES} (an endless or oversized body is
 * refused, not buffered), the whole exchange, body included, is bounded by the timeout, and 429,
 * 5xx and network failures are retried with backoff. Messages name the endpoint, the app id and the
 * service's error code, never the form (it carries the secret or the signed assertion).
 * Thread-safe.
 */
final class TokenEndpoint {

  /** The largest token response read; Entra's answers are a few kilobytes. */
  public static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private final URI uri;
  private final String appId;
  private final String refusalHint;
  private final Clock clock;
  private final Duration timeout;
  private final int maxAttempts;
  private final HttpClient http;

  /**
   * Creates the endpoint; makes no request yet.
   *
   * @param uri the token URL
   * @param appId the app id asking, for messages
   * @param refusalHint what to check when the endpoint answers 400 or 401
   * @param clock the clock expiry is measured with
   * @param timeout of one exchange, connection and body included
   * @param maxAttempts attempts per fetch on 429, 5xx and network failures
   */
  public TokenEndpoint(
      URI uri, String appId, String refusalHint, Clock clock, Duration timeout, int maxAttempts) {
    this.uri = uri;
    this.appId = appId;
    this.refusalHint = refusalHint;
    this.clock = clock;
    this.timeout = timeout;
    this.maxAttempts = maxAttempts;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The token URL.
   *
   * @return the URL
   */
  public URI uri() {
    return uri;
  }

  /**
   * Fetches a token, retrying transient failures.
   *
   * @param form builds the URL-encoded form of one attempt (called again for each retry, so a
   *     signed assertion is fresh each time); may throw {@link TokenException}
   * @return the token, or a future failed with {@link TokenException}
   */
  public CompletableFuture<AccessToken> fetch(Supplier<String> form) {
    return attempt(form, 1);
  }

  // handle(...) sees both the answer and a failed exchange, so it yields a nested future that
  // thenCompose flattens at once (exceptionallyCompose would also catch the retries' own failures)
  @SuppressWarnings("FutureReturnValueIgnored")
  private CompletableFuture<AccessToken> attempt(Supplier<String> form, int attempt) {
    HttpRequest req;
    try {
      req =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form.get()))
              .build();
    } catch (TokenException e) {
      return CompletableFuture.failedFuture(e);
    }
    Instant asked = clock.instant();
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(req, BoundedBody.handler(MAX_RESPONSE_BYTES));
    // the request timeout stops at the headers: the body (a slow trickle) is bounded here
    CompletableFuture<HttpResponse<byte[]>> bounded =
        call.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return bounded
        .handle(
            (r, e) -> {
              if (e != null) {
                call.cancel(true);
                return failed(e, attempt, form);
              }
              return answered(r, asked, attempt, form);
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<AccessToken> failed(Throwable e, int attempt, Supplier<String> form) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof BoundedBody.TooLarge) {
      return CompletableFuture.failedFuture(
          new TokenException(
              "token endpoint " + uri + " answered more than " + MAX_RESPONSE_BYTES + " bytes",
              false,
              null));
    }
    String what =
        cause instanceof TimeoutException ? "timed out" : cause.getClass().getSimpleName();
    return retryOr(
        attempt,
        form,
        new TokenException("token request to " + uri + " failed: " + what, true, null));
  }

  private CompletableFuture<AccessToken> answered(
      HttpResponse<byte[]> r, Instant asked, int attempt, Supplier<String> form) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    int s = r.statusCode();
    if (s == 200) {
      try {
        JsonNode n = Json.parse(body);
        JsonNode token = n.path("access_token");
        if (!token.isTextual() || token.asText().isEmpty()) {
          return CompletableFuture.failedFuture(
              new TokenException(
                  "token endpoint " + uri + " answered without access_token", false, null));
        }
        long expiresIn = n.path("expires_in").asLong(3600);
        if (expiresIn <= 0 || expiresIn > Duration.ofDays(1).toSeconds()) {
          expiresIn = 3600;
        }
        return CompletableFuture.completedFuture(
            new AccessToken(token.asText(), asked.plusSeconds(expiresIn)));
      } catch (RuntimeException ex) {
        return CompletableFuture.failedFuture(
            new TokenException(
                "token endpoint " + uri + " answered an unreadable body", false, null));
      }
    }
    String code = errorCode(body);
    boolean transientError = s == 429 || s >= 500;
    TokenException te =
        new TokenException(
            "token request for app id "
                + appId
                + " to "
                + uri
                + " was refused: HTTP "
                + s
                + (code == null ? "" : " " + code)
                + (s == 400 || s == 401 ? " (" + refusalHint + ")" : ""),
            transientError,
            null);
    return transientError ? retryOr(attempt, form, te) : CompletableFuture.failedFuture(te);
  }

  private CompletableFuture<AccessToken> retryOr(
      int attempt, Supplier<String> form, TokenException failure) {
    if (attempt >= maxAttempts) {
      return CompletableFuture.failedFuture(failure);
    }
    long delayMs = 200L << (attempt - 1);
    Executor later = CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS);
    return CompletableFuture.runAsync(() -> {}, later).thenCompose(v -> attempt(form, attempt + 1));
  }

  // the error code only, and only when it is a short token: the description is the service's text
  private static @Nullable String errorCode(String body) {
    try {
      JsonNode n = Json.parse(body);
      JsonNode error = n.path("error");
      if (error.isTextual() && error.asText().matches("[A-Za-z0-9_.-]{1,64}")) {
        return error.asText();
      }
      return null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
