package dev.beckon.internal.send;

import dev.beckon.auth.AccessToken;
import dev.beckon.auth.TokenException;
import dev.beckon.auth.TokenProvider;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.send.HttpTransport;
import dev.beckon.send.RetryPolicy;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Timeouts;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Bot Connector call with trust check, token, retries and classification, over an
 * {@link HttpTransport} (by default {@link HttpClient5Transport}). Thread-safe.
 */
public final class ConnectorClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectorClient.class);
  /** HTTP methods used. */
  public enum Method { POST, PUT, DELETE }

  /**
   * A call.
   *
   * @param method the method
   * @param url the full URL
   * @param serviceUrl the reference's service URL (for the trust check)
   * @param body the JSON body, or {@code null}
   * @param conversationId sent as {@code x-ms-conversation-id} on replies, or {@code null}
   */
  public record Call(Method method, String url, String serviceUrl, byte @Nullable [] body, @Nullable String conversationId) {}

  /**
   * A raw final answer before it becomes an outcome.
   *
   * @param outcome the outcome
   * @param body the response body of a 2xx, or {@code null}
   */
  public record Answer(SendOutcome outcome, @Nullable String body) {}

  private final HttpTransport transport;
  private final @Nullable HttpClient5Transport ownedTransport;
  private final ScheduledExecutorService scheduler;
  private final @Nullable TokenProvider tokens;
  private final TrustPolicy trust;
  private final RetryPolicy retry;
  private final Timeouts timeouts;
  private final Clock clock;
  private final String userAgent;

  /**
   * Creates and starts the client.
   *
   * @param transport the user's transport, or {@code null} for the default HttpClient 5 one
   * @param tokens token provider, or {@code null} for anonymous
   * @param trust the trust policy
   * @param retry the retry policy
   * @param timeouts the timeouts
   * @param maxConnections pool size (total and per host)
   * @param ioThreads I/O reactor threads
   * @param userAgent the User-Agent
   * @param clock the clock
   */
  public ConnectorClient(@Nullable HttpTransport transport, @Nullable TokenProvider tokens, TrustPolicy trust, RetryPolicy retry, Timeouts timeouts,
      int maxConnections, int ioThreads, String userAgent, Clock clock) {
    this.tokens = tokens;
    this.trust = trust;
    this.retry = retry;
    this.timeouts = timeouts;
    this.clock = clock;
    this.userAgent = userAgent;
    this.ownedTransport = transport == null ? new HttpClient5Transport(timeouts, maxConnections, ioThreads) : null;
    this.transport = transport != null ? transport : ownedTransport;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "beckon-sender-retry");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Whether the client has no credentials.
   *
   * @return true when anonymous
   */
  public boolean anonymous() {
    return tokens == null;
  }

  /** Trust decisions per service URL: a sender posts to a handful of them, millions of times. */
  private final java.util.concurrent.ConcurrentHashMap<String, String> refusals = new java.util.concurrent.ConcurrentHashMap<>();
  private static final String TRUSTED = "";
  private static final int MAX_CACHED_URLS = 4096;

  private @Nullable String refusal(String serviceUrl) {
    String cached = refusals.get(serviceUrl);
    if (cached == null) {
      String r = trust.refusal(serviceUrl, tokens == null);
      cached = r == null ? TRUSTED : r;
      if (refusals.size() >= MAX_CACHED_URLS) {
        refusals.clear();
      }
      refusals.put(serviceUrl, cached);
    }
    return cached.isEmpty() ? null : cached;
  }

  /**
   * Executes a call with retries.
   *
   * @param call the call
   * @return the final answer
   */
  public CompletableFuture<Answer> execute(Call call) {
    String refusal = refusal(call.serviceUrl());
    if (refusal != null) {
      return CompletableFuture.completedFuture(new Answer(new SendOutcome(SendOutcome.Kind.REJECTED, 0, null,
          "UntrustedServiceUrl", "not sent: " + refusal, null, null, 0, null), null));
    }
    CompletableFuture<Answer> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeouts.overall().toNanos();
    attempt(call, 1, deadline, result);
    return result;
  }

  private void attempt(Call call, int attempt, long deadline, CompletableFuture<Answer> result) {
    CompletableFuture<@Nullable AccessToken> token = tokens == null
        ? CompletableFuture.completedFuture(null) : tokens.token();
    token.whenComplete((t, tokenError) -> {
      if (tokenError != null) {
        Throwable cause = tokenError instanceof CompletionException && tokenError.getCause() != null
            ? tokenError.getCause() : tokenError;
        boolean retryable = cause instanceof TokenException te && te.retryable();
        result.complete(new Answer(new SendOutcome(retryable ? SendOutcome.Kind.FAILED : SendOutcome.Kind.UNAUTHORIZED,
            0, null, "TokenUnavailable", "not sent: no token: " + cause.getMessage(), null, null, attempt - 1, null), null));
        return;
      }
      java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
      if (call.body() != null) {
        headers.put("Content-Type", "application/json; charset=utf-8");
      }
      headers.put("User-Agent", userAgent);
      if (t != null) {
        headers.put("Authorization", "Bearer " + t.value());
      }
      if (call.conversationId() != null) {
        headers.put("x-ms-conversation-id", call.conversationId());
      }
      HttpTransport.Request req = new HttpTransport.Request(call.method().name(), URI.create(call.url()), headers, call.body());
      CompletableFuture<HttpTransport.Response> sent;
      try {
        sent = transport.execute(req, timeouts.response());
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete((r, e) -> {
        if (e != null) {
          onFailure(call, attempt, deadline, result, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        } else {
          onResponse(call, attempt, deadline, result, r);
        }
      });
    });
  }

  private void onResponse(Call call, int attempt, long deadline, CompletableFuture<Answer> result, HttpTransport.Response r) {
    int status = r.status();
    String body = r.body();
    String correlation = r.header("MS-CV");
    if (correlation == null) {
      correlation = r.header("X-Correlating-OperationId");
    }
    if (status >= 200 && status < 300) {
      result.complete(new Answer(new SendOutcome(SendOutcome.Kind.DELIVERED, status, null, null, null, correlation,
          null, attempt, null), body));
      return;
    }
    String code = Classifier.errorCode(body);
    Duration retryAfter = status == 429 ? Classifier.retryAfter(r.header("Retry-After"), clock.instant()) : null;
    if (Classifier.transientStatus(status)) {
      Duration wait = status == 429 && retryAfter != null ? retryAfter : backoff(attempt);
      boolean tooLong = status == 429 && retryAfter != null && retryAfter.compareTo(retry.maxRetryAfter()) > 0;
      if (!tooLong && attempt < retry.maxAttempts() && fits(deadline, wait)) {
        LOG.debug("Bot Connector answered {} ({}), retrying in {} ms (attempt {}, correlation {})",
            status, code, wait.toMillis(), attempt, correlation);
        scheduler.schedule(() -> attempt(call, attempt + 1, deadline, result), wait.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
    }
    SendOutcome.Kind kind = Classifier.kind(status, code);
    String message = Classifier.errorMessage(body);
    if ("InvalidBotApiHost".equals(code)) {
      message = "this tenant is a government (GCC) tenant: use its GCC serviceUrl, not the public one"
          + (message == null ? "" : " (" + message + ")");
    }
    if (message == null) {
      message = "HTTP " + status;
    }
    result.complete(new Answer(new SendOutcome(kind, status, null, code != null ? code : Integer.toString(status),
        message, correlation, retryAfter, attempt, null), null));
  }

  private void onFailure(Call call, int attempt, long deadline, CompletableFuture<Answer> result, Throwable e) {
    boolean beforeSend = e instanceof HttpTransport.NotSentException;
    boolean idempotent = call.method() != Method.POST;
    boolean mayRetry = beforeSend || idempotent || retry.retryUnsafePosts();
    Duration wait = backoff(attempt);
    if (mayRetry && attempt < retry.maxAttempts() && fits(deadline, wait)) {
      LOG.debug("Bot Connector call failed ({}), retrying in {} ms (attempt {})", e.getClass().getSimpleName(),
          wait.toMillis(), attempt);
      scheduler.schedule(() -> attempt(call, attempt + 1, deadline, result), wait.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    String what = beforeSend && e.getMessage() != null ? e.getMessage()
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    SendOutcome outcome = beforeSend
        ? new SendOutcome(SendOutcome.Kind.FAILED, 0, null, "ConnectFailed", "could not connect: " + what, null,
            null, attempt, null)
        : new SendOutcome(idempotent ? SendOutcome.Kind.FAILED : SendOutcome.Kind.UNKNOWN, 0, null,
            "NoResponse", (idempotent ? "" : "may have been delivered (not retried, to avoid a duplicate): ") + what,
            null, null, attempt, null);
    result.complete(new Answer(outcome, null));
  }

  private boolean fits(long deadline, Duration wait) {
    return System.nanoTime() + wait.toNanos() + timeouts.response().toNanos() / 10 < deadline;
  }

  private Duration backoff(int attempt) {
    long base = retry.baseDelay().toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, retry.maxDelay().toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  @Override
  public void close() {
    if (ownedTransport != null) {
      ownedTransport.close();
    }
    scheduler.shutdownNow();
  }
}
