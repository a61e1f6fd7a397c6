package dev.beckon.send;

import dev.beckon.auth.AccessToken;
import dev.beckon.auth.TokenException;
import dev.beckon.auth.TokenProvider;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.internal.json.TextRules;
import dev.beckon.internal.send.Deadlines;
import dev.beckon.internal.send.HttpClient5Transport;
import dev.beckon.retry.RetryCause;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.transport.HttpTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Bot Connector call with trust check, token, retries (per the {@link RetryStrategy} given with
 * each call) and classification, over an {@link HttpTransport} (by default {@link
 * HttpClient5Transport}). Thread-safe.
 */
final class ConnectorClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectorClient.class);

  /** HTTP methods used. */
  public enum Method {
    POST,
    PUT,
    DELETE
  }

  /**
   * A call.
   *
   * @param method the method
   * @param url the full URL
   * @param serviceUrl the reference's service URL (for the trust check)
   * @param body the JSON body, or {@code null}
   * @param conversationId sent as {@code x-ms-conversation-id} on replies, or {@code null}
   * @param route the app and tenant whose token a {@link dev.beckon.auth.TokenRouting} chooses, or
   *     {@code null} for the provider's own {@link TokenProvider#token()}
   */
  @SuppressWarnings(
      "ArrayRecordComponent") // a body handed to the transport; a Call is never compared
  public record Call(
      Method method,
      String url,
      String serviceUrl,
      byte @Nullable [] body,
      @Nullable String conversationId,
      dev.beckon.auth.@Nullable TokenRoute route) {

    /**
     * A call without a route.
     *
     * @param method the method
     * @param url the full URL
     * @param serviceUrl the reference's service URL (for the trust check)
     * @param body the JSON body, or {@code null}
     * @param conversationId sent as {@code x-ms-conversation-id} on replies, or {@code null}
     */
    public Call(
        Method method,
        String url,
        String serviceUrl,
        byte @Nullable [] body,
        @Nullable String conversationId) {
      this(method, url, serviceUrl, body, conversationId, null);
    }
  }

  /**
   * A raw final answer before it becomes an outcome.
   *
   * @param outcome the outcome
   * @param body the response body of a 2xx, or {@code null}
   */
  public record Answer(SendOutcome outcome, @Nullable String body) {}

  private final HttpTransport transport;
  private final @Nullable HttpClient5Transport ownedTransport;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Deadlines deadlines;
  private final @Nullable TokenProvider tokens;
  private final TrustPolicy trust;
  private final Timeouts timeouts;
  private final int maxResponseBytes;
  private final Clock clock;
  private final String userAgent;

  /**
   * Creates and starts the client from a sender's settings.
   *
   * @param b the sender's builder
   */
  ConnectorClient(BotConnectorSender.Builder b) {
    this.tokens = b.tokens;
    this.trust = b.trust;
    this.timeouts = b.timeouts;
    this.maxResponseBytes = b.maxResponseBytes;
    this.clock = b.clock;
    this.userAgent = b.userAgent;
    HttpTransport transport = b.transport;
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "beckon-sender-timer");
              t.setDaemon(true);
              return t;
            });
    // one sweep of every send's and exchange's deadline instead of a timer per send (which cost a
    // timer-thread wake-up per message): the scheduler runs it, and the retries' backoff
    this.deadlines = new Deadlines(scheduler, Deadlines.tickFor(timeouts.response()));
    if (transport == null) {
      HttpClient5Transport owned =
          new HttpClient5Transport(
              timeouts.connect(),
              timeouts.response(),
              timeouts.overall(),
              b.maxConnections,
              b.ioThreads,
              deadlines);
      this.ownedTransport = owned;
      this.transport = owned;
    } else {
      this.ownedTransport = null;
      this.transport = transport;
    }
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
  private final java.util.concurrent.ConcurrentHashMap<String, String> refusals =
      new java.util.concurrent.ConcurrentHashMap<>();

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
   * Executes a call with retries, within {@link Timeouts#overall()}. The future always completes
   * with an answer, never exceptionally.
   *
   * @param call the call
   * @param retry when to retry
   * @param retryUnsafePosts whether a POST that may have been delivered is retried
   * @return the final answer
   */
  CompletableFuture<Answer> execute(Call call, RetryStrategy retry, boolean retryUnsafePosts) {
    TokenProvider provider = tokens;
    if (tokens instanceof dev.beckon.auth.TokenRouting routing && call.route() != null) {
      provider = routing.select(call.route()).orElse(null);
      if (provider == null) {
        return CompletableFuture.completedFuture(
            new Answer(
                SendOutcome.builder(SendOutcome.Kind.REJECTED)
                    .errorCode("NoTokenRoute")
                    .message(
                        "not sent: no token provider for app "
                            + call.route().appId()
                            + (call.route().tenantId() == null
                                ? ""
                                : " in tenant " + call.route().tenantId())
                            + " and no fallback (TokenRouting.Builder.app/fallback)")
                    .build(),
                null));
      }
    }
    return execute(call, retry, retryUnsafePosts, provider);
  }

  private CompletableFuture<Answer> execute(
      Call call, RetryStrategy retry, boolean retryUnsafePosts, @Nullable TokenProvider provider) {
    String refusal = refusal(call.serviceUrl());
    if (refusal != null) {
      return CompletableFuture.completedFuture(
          new Answer(
              SendOutcome.builder(SendOutcome.Kind.REJECTED)
                  .errorCode("UntrustedServiceUrl")
                  .message("not sent: " + refusal)
                  .build(),
              null));
    }
    long overall = nanos(timeouts.overall());
    // a retry must leave the attempt it starts a tenth of a response timeout before the deadline
    Duration budget = Duration.ofNanos(Math.max(0, overall - nanos(timeouts.response()) / 10));
    Send s =
        new Send(
            call,
            System.nanoTime() + overall,
            retry.start("send", budget),
            retryUnsafePosts,
            provider);
    // the backstop for transports that ignore their timeout (the default one ends its exchange at
    // the deadline): registered until the send completes, swept with all the others
    if (!deadlines.add(s)) {
      complete(s, closed(0));
      return s.result;
    }
    attempt(s, 1);
    return s.result;
  }

  private static SendOutcome closed(int attempts) {
    return SendOutcome.builder(SendOutcome.Kind.FAILED)
        .errorCode("Closed")
        .message("not sent: the sender was closed")
        .attempts(attempts)
        .build();
  }

  /**
   * How many sends are in flight (registered with their deadline): for tests.
   *
   * @return the count
   */
  int inFlight() {
    return deadlines.size();
  }

  /**
   * Whether the sender's timer thread has ended (after {@link #close()}): for tests.
   *
   * @return true when no thread of the sender is left
   */
  boolean timerTerminated() {
    return scheduler.isTerminated();
  }

  /**
   * Whether the deadline sweep is ticking (it stops when nothing is in flight): for tests.
   *
   * @return true while it ticks
   */
  boolean sweeping() {
    return deadlines.sweeping();
  }

  private static final long WATCHDOG_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /**
   * One send in progress: its deadline, its result and the attempt in flight. Registered in {@link
   * #deadlines} (with the grace added) until it completes.
   */
  private final class Send extends Deadlines.Entry {
    final Call call;
    final long deadline;
    final RetryStrategy.Retry retry;
    final boolean retryUnsafePosts;
    final @Nullable TokenProvider tokens;
    final CompletableFuture<Answer> result = new CompletableFuture<>();
    volatile int attempt;
    volatile @Nullable CompletableFuture<HttpTransport.Response> inFlight;

    Send(
        Call call,
        long deadline,
        RetryStrategy.Retry retry,
        boolean retryUnsafePosts,
        @Nullable TokenProvider tokens) {
      super(deadline + WATCHDOG_GRACE_NANOS);
      this.call = call;
      this.deadline = deadline;
      this.retry = retry;
      this.retryUnsafePosts = retryUnsafePosts;
      this.tokens = tokens;
    }

    boolean post() {
      return call.method() == Method.POST;
    }

    @Override
    protected void expire(boolean closing) {
      CompletableFuture<HttpTransport.Response> f = inFlight;
      boolean mayHaveBeenSent = f != null && !f.isDone();
      int attempts = Math.max(attempt, 0);
      // first: the cancellation below reports too
      complete(
          this,
          closing
              ? closedInFlight(this, mayHaveBeenSent, attempts)
              : timedOut(this, mayHaveBeenSent, attempts));
      if (f != null) {
        f.cancel(true);
      }
    }
  }

  private static SendOutcome closedInFlight(Send s, boolean mayHaveBeenSent, int attempts) {
    return mayHaveBeenSent && s.post()
        ? SendOutcome.builder(SendOutcome.Kind.UNKNOWN)
            .errorCode("Closed")
            .message(
                "may have been delivered: the sender was closed while the request was in flight")
            .attempts(attempts)
            .build()
        : closed(attempts);
  }

  private SendOutcome timedOut(Send s, boolean mayHaveBeenSent, int attempts) {
    String limit =
        "no answer within the overall timeout of " + timeouts.overall().toMillis() + " ms";
    return mayHaveBeenSent && s.post()
        ? SendOutcome.builder(SendOutcome.Kind.UNKNOWN)
            .errorCode("Timeout")
            .message("may have been delivered (not retried, to avoid a duplicate): " + limit)
            .attempts(attempts)
            .build()
        : SendOutcome.builder(SendOutcome.Kind.FAILED)
            .errorCode("Timeout")
            .message((mayHaveBeenSent ? "" : "not sent: ") + limit)
            .attempts(attempts)
            .build();
  }

  private void complete(Send s, SendOutcome outcome) {
    complete(s, new Answer(outcome, null));
  }

  private void attempt(Send s, int attempt) {
    if (s.result.isDone()) {
      return;
    }
    long remaining = s.deadline - System.nanoTime();
    if (remaining <= 0) {
      complete(s, timedOut(s, false, attempt - 1));
      return;
    }
    CompletableFuture<? extends @Nullable AccessToken> token; // no token without a provider
    try {
      TokenProvider provider = s.tokens;
      token = provider == null ? CompletableFuture.completedFuture(null) : provider.token();
    } catch (RuntimeException e) {
      token = CompletableFuture.failedFuture(e);
    }
    // a handle we do not wait on: the callback completes s.result itself
    var unused =
        token.whenComplete(
            (t, tokenError) -> {
              try {
                send(s, attempt, t, tokenError);
              } catch (RuntimeException e) {
                complete(
                    s,
                    SendOutcome.builder(SendOutcome.Kind.FAILED)
                        .errorCode("InternalError")
                        .message(
                            "not sent: " + e.getClass().getSimpleName() + ": " + e.getMessage())
                        .attempts(attempt - 1)
                        .build());
              }
            });
  }

  private void send(Send s, int attempt, @Nullable AccessToken t, @Nullable Throwable tokenError) {
    if (s.result.isDone()) {
      return;
    }
    Call call = s.call;
    if (tokenError != null) {
      Throwable cause = unwrap(tokenError);
      boolean retryable = cause instanceof TokenException te && te.retryable();
      complete(
          s,
          SendOutcome.builder(retryable ? SendOutcome.Kind.FAILED : SendOutcome.Kind.UNAUTHORIZED)
              .errorCode("TokenUnavailable")
              .message("not sent: no token: " + cause.getMessage())
              .attempts(attempt - 1)
              .build());
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
    URI uri;
    try {
      uri = new URI(call.url());
    } catch (URISyntaxException e) {
      complete(
          s,
          SendOutcome.builder(SendOutcome.Kind.REJECTED)
              .errorCode("InvalidRequest")
              .message("not sent: the URL is not valid: " + e.getMessage())
              .attempts(attempt - 1)
              .build());
      return;
    }
    long remaining = s.deadline - System.nanoTime();
    if (remaining <= 0) {
      complete(s, timedOut(s, false, attempt - 1));
      return;
    }
    Duration timeout = Duration.ofNanos(Math.min(nanos(timeouts.response()), remaining));
    HttpTransport.Request req =
        new HttpTransport.Request(
            call.method().name(), uri, headers, call.body(), maxResponseBytes);
    s.attempt = attempt;
    CompletableFuture<HttpTransport.Response> sent;
    try {
      sent = transport.execute(req, timeout);
      if (sent == null) {
        throw new IllegalStateException("the transport returned no future");
      }
    } catch (IllegalArgumentException e) {
      sent =
          CompletableFuture.failedFuture(new HttpTransport.InvalidRequestException(describe(e), e));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(new HttpTransport.NotSentException(describe(e), e));
    }
    s.inFlight = sent;
    // a handle we do not wait on: the callback completes s.result itself
    var unused =
        sent.whenComplete(
            (r, e) -> {
              try {
                if (e != null) {
                  onFailure(s, attempt, unwrap(e));
                } else {
                  onResponse(s, attempt, r);
                }
              } catch (RuntimeException x) {
                complete(
                    s,
                    SendOutcome.builder(
                            s.post() ? SendOutcome.Kind.UNKNOWN : SendOutcome.Kind.FAILED)
                        .errorCode("InternalError")
                        .message(describe(x))
                        .attempts(attempt)
                        .build());
              }
            });
  }

  private void onResponse(Send s, int attempt, HttpTransport.Response r) {
    int status = r.status();
    @Nullable String body = r.body();
    String oversize = null;
    if (TextRules.utf8Length(body, maxResponseBytes) > maxResponseBytes) {
      body = null; // nothing is read from a truncated or oversize body
      oversize = "the response body exceeds " + maxResponseBytes + " bytes and was not read";
    }
    String correlation = SendOutcome.readCorrelationId(r.header("MS-CV"));
    if (correlation == null) {
      correlation = SendOutcome.readCorrelationId(r.header("X-Correlating-OperationId"));
    }
    if (status >= 200 && status < 300) {
      complete(
          s,
          new Answer(
              SendOutcome.builder(SendOutcome.Kind.DELIVERED)
                  .status(status)
                  .message(
                      oversize == null
                          ? null
                          : "delivered (HTTP "
                              + status
                              + "), but "
                              + oversize
                              + ": the new id is unknown")
                  .correlationId(correlation)
                  .attempts(attempt)
                  .build(),
              body));
      return;
    }
    String code = Classifier.errorCode(body);
    Duration retryAfter =
        status == 429 ? Classifier.retryAfter(r.header("Retry-After"), clock.instant()) : null;
    RetryCause cause = RetryCause.ofStatus(status);
    if (cause != null) {
      // a Retry-After never shortens the backoff; one beyond maxRetryAfter ends the retries
      Duration wait = s.retry.next(cause, retryAfter, code == null ? "HTTP " + status : code);
      if (wait != null) {
        LOG.debug(
            "Bot Connector answered {} ({}), retrying in {} ms (attempt {}, correlation {})",
            status,
            code,
            wait.toMillis(),
            attempt,
            correlation);
        retryLater(s, attempt, wait);
        return;
      }
    }
    SendOutcome.Kind kind = Classifier.kind(status, code);
    String message = Classifier.errorMessage(body);
    if ("InvalidBotApiHost".equals(code)) {
      message =
          "this tenant is a government (GCC) tenant: use its GCC serviceUrl, not the public one"
              + (message == null ? "" : " (" + message + ")");
    }
    if (message == null) {
      message = "HTTP " + status + (oversize == null ? "" : " (" + oversize + ")");
    }
    complete(
        s,
        SendOutcome.builder(kind)
            .status(status)
            .errorCode(code != null ? code : Integer.toString(status))
            .message(message)
            .correlationId(correlation)
            .retryAfter(retryAfter)
            .attempts(attempt)
            .build());
  }

  /** The one place a send completes: it then leaves the deadline registry. */
  private void complete(Send s, Answer a) {
    deadlines.remove(s); // first: nothing is registered once the caller sees the answer
    s.result.complete(a);
  }

  private void retryLater(Send s, int attempt, Duration wait) {
    s.inFlight = null;
    if (deadlines.closed()) {
      complete(s, closed(attempt));
      return;
    }
    try {
      // a handle we do not wait on: the callback completes s.result itself
      var unused =
          scheduler.schedule(() -> attempt(s, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      complete(s, closed(attempt));
    }
  }

  private void onFailure(Send s, int attempt, Throwable e) {
    if (s.result.isDone()) {
      return; // the deadline already answered (and cancelled this attempt)
    }
    boolean invalid = e instanceof HttpTransport.InvalidRequestException;
    boolean beforeSend = e instanceof HttpTransport.NotSentException;
    if (deadlines.closed()) {
      // the close ended this exchange (or the transport's own closing did): say so
      complete(s, closedInFlight(s, !invalid && !beforeSend, attempt));
      return;
    }
    boolean idempotent = !s.post();
    if (invalid) {
      complete(
          s,
          SendOutcome.builder(SendOutcome.Kind.REJECTED)
              .errorCode("InvalidRequest")
              .message("not sent: " + e.getMessage())
              .attempts(attempt)
              .build());
      return;
    }
    boolean mayRetry = beforeSend || idempotent || s.retryUnsafePosts;
    Duration wait =
        mayRetry ? s.retry.next(RetryCause.TRANSIENT, null, e.getClass().getSimpleName()) : null;
    if (wait != null) {
      LOG.debug(
          "Bot Connector call failed ({}), retrying in {} ms (attempt {})",
          e.getClass().getSimpleName(),
          wait.toMillis(),
          attempt);
      retryLater(s, attempt, wait);
      return;
    }
    boolean timeout = isTimeout(beforeSend && e.getCause() != null ? e.getCause() : e);
    String what = beforeSend && e.getMessage() != null ? e.getMessage() : describe(e);
    SendOutcome outcome =
        beforeSend
            ? SendOutcome.builder(SendOutcome.Kind.FAILED)
                .errorCode(timeout ? "Timeout" : "ConnectFailed")
                .message("not sent: could not connect: " + what)
                .attempts(attempt)
                .build()
            : SendOutcome.builder(idempotent ? SendOutcome.Kind.FAILED : SendOutcome.Kind.UNKNOWN)
                .errorCode(timeout ? "Timeout" : "NoResponse")
                .message(
                    (idempotent
                            ? ""
                            : "may have been delivered (not retried, to avoid a duplicate): ")
                        + what)
                .attempts(attempt)
                .build();
    complete(s, outcome);
  }

  private static boolean isTimeout(Throwable e) {
    return e instanceof java.util.concurrent.TimeoutException
        || e instanceof java.io.InterruptedIOException;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static long nanos(Duration d) {
    try {
      return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
    } catch (ArithmeticException huge) {
      return Long.MAX_VALUE / 4;
    }
  }

  @Override
  public void close() {
    // first: every send still in flight ends now (Closed) and cancels its exchange
    deadlines.close();
    if (ownedTransport != null) {
      ownedTransport.close();
    }
    scheduler.shutdownNow();
  }
}
