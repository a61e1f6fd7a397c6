package dev.beckon.send;

import dev.beckon.Beckon;
import dev.beckon.activity.Activity;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.Cloud;
import dev.beckon.auth.TokenProvider;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.internal.json.Json;
import dev.beckon.internal.send.ConnectorUrls;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ServiceUrl;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.transport.HttpTransport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Sender}: the Bot Connector REST API (v3) over a pooled, keep-alive, async
 * Apache HttpClient 5 client.
 *
 * <pre>{@code
 * // a bot with an app id (multi-tenant, public cloud)
 * BotConnectorSender sender = BotConnectorSender.builder()
 *     .credentials(ClientCredentials.builder(appId, secret).build())
 *     .build();
 * // the Bot Framework Emulator or a local test: no credentials, loopback service URLs allowed
 * BotConnectorSender local = BotConnectorSender.builder().anonymous().build();
 * }</pre>
 *
 * <p>Every send (send, reply, update, delete, createConversation, and so every broadcast): refuses
 * a service URL outside the {@link TrustPolicy} as {@code REJECTED} ({@code UntrustedServiceUrl})
 * before a token is fetched or a connection opened; builds the URL as the canonical {@link
 * ServiceUrl} + {@code /v3/…} with ids fully percent-encoded (a reference cannot hold a serviceUrl
 * with a query, fragment or user info: its constructor applies the {@link ServiceUrl} rule); posts
 * {@code application/json; charset=utf-8}; retries per its {@link RetryStrategy} (412, 429, 502,
 * 503, 504 and failures to connect; never 500 nor any other status); returns a {@link SendOutcome}.
 * Close it to release its connections. Thread-safe: share one per bot.
 */
public final class BotConnectorSender implements Sender, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BotConnectorSender.class);

  private final ConnectorClient client;
  private final RetryStrategy retry;
  private final boolean retryUnsafePosts;
  private final @Nullable Sender withoutRetries;
  private final boolean owner;

  private BotConnectorSender(Builder b) {
    this.client = new ConnectorClient(b);
    this.retry = b.retry;
    this.retryUnsafePosts = b.retryUnsafePosts;
    this.withoutRetries =
        retry.maxAttempts() == 1 ? null : new BotConnectorSender(client, RetryStrategy.none());
    this.owner = true;
  }

  /** A view on the same connections with another strategy: it owns nothing. */
  private BotConnectorSender(ConnectorClient client, RetryStrategy retry) {
    this.client = client;
    this.retry = retry;
    this.retryUnsafePosts = false;
    this.withoutRetries = null;
    this.owner = false;
  }

  /**
   * Starts a builder. Choose {@link Builder#credentials} or {@link Builder#anonymous()}.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * This sender making one request per send, never a retry, over the same connections, token and
   * timeouts: what a broadcast sends through, since it retries itself. Closing this sender closes
   * the view's connections too; the view itself needs no closing.
   *
   * @return a sender that never retries (this one when its strategy is {@link
   *     RetryStrategy#none()})
   */
  @Override
  public Sender withoutRetries() {
    return withoutRetries == null ? this : withoutRetries;
  }

  /**
   * The strategy its sends retry with.
   *
   * @return the strategy
   */
  public RetryStrategy retryStrategy() {
    return retry;
  }

  private CompletableFuture<ConnectorClient.Answer> execute(ConnectorClient.Call call) {
    return client.execute(call, retry, retryUnsafePosts);
  }

  @Override
  public CompletableFuture<SendOutcome> sendAsync(ConversationReference to, Activity activity) {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(activity, "activity");
    String url =
        ConnectorUrls.conversations(ServiceUrl.parse(to.serviceUrl()))
            + "/"
            + ConnectorUrls.segment(to.conversation().id())
            + "/activities";
    return withId(
        new ConnectorClient.Call(
            ConnectorClient.Method.POST,
            url,
            to.serviceUrl(),
            body(activity.addressedTo(to)),
            null,
            dev.beckon.auth.TokenRoute.of(to)));
  }

  @Override
  public CompletableFuture<SendOutcome> replyAsync(
      ConversationReference to, String replyToId, Activity activity) {
    requireId(replyToId, "replyToId");
    String url = activityUrl(to, replyToId);
    return withId(
        new ConnectorClient.Call(
            ConnectorClient.Method.POST,
            url,
            to.serviceUrl(),
            body(activity.addressedTo(to).withReplyToId(replyToId)),
            to.conversation().id(),
            dev.beckon.auth.TokenRoute.of(to)));
  }

  @Override
  public CompletableFuture<SendOutcome> updateAsync(
      ConversationReference to, String activityId, Activity activity) {
    requireId(activityId, "activityId");
    return withId(
        new ConnectorClient.Call(
            ConnectorClient.Method.PUT,
            activityUrl(to, activityId),
            to.serviceUrl(),
            body(activity.addressedTo(to).withId(activityId)),
            null,
            dev.beckon.auth.TokenRoute.of(to)));
  }

  @Override
  public CompletableFuture<SendOutcome> deleteAsync(ConversationReference to, String activityId) {
    requireId(activityId, "activityId");
    return execute(
            new ConnectorClient.Call(
                ConnectorClient.Method.DELETE,
                activityUrl(to, activityId),
                to.serviceUrl(),
                null,
                null,
                dev.beckon.auth.TokenRoute.of(to)))
        .thenApply(
            a ->
                a.outcome().delivered()
                    ? ConnectorResponses.with(a.outcome(), activityId, null)
                    : a.outcome());
  }

  @Override
  public CompletableFuture<SendOutcome> createConversationAsync(
      ConversationReference from, ConversationParameters p) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(p, "parameters");
    Map<String, @Nullable Object> params = new LinkedHashMap<>();
    params.put("isGroup", p.isGroup());
    if (from.bot() != null) {
      params.put("bot", account(from.bot()));
    }
    if (p.member() != null) {
      params.put("members", List.of(account(p.member())));
    }
    if (p.tenantId() != null) {
      params.put("tenantId", p.tenantId());
    }
    if (p.channelData() != null) {
      params.put("channelData", p.channelData());
    }
    byte[] activityJson =
        p.activity() == null
            ? null
            : dev.beckon.internal.json.ActivityWriter.write(
                p.activity().addressedTo(from).withConversation(null));
    byte[] body =
        Json.write(
            g -> {
              g.writeStartObject();
              dev.beckon.internal.json.JsonValues.writeFields(g, params);
              if (activityJson != null) {
                g.writeFieldName("activity");
                g.writeRawValue(new String(activityJson, StandardCharsets.UTF_8));
              }
              g.writeEndObject();
            });
    return execute(
            new ConnectorClient.Call(
                ConnectorClient.Method.POST,
                ConnectorUrls.conversations(ServiceUrl.parse(from.serviceUrl())),
                from.serviceUrl(),
                body,
                null,
                dev.beckon.auth.TokenRoute.of(from)))
        .thenApply(
            a ->
                a.outcome().delivered()
                    ? ConnectorResponses.conversation(a.outcome(), a.body(), from, p)
                    : a.outcome());
  }

  private static Map<String, @Nullable Object> account(dev.beckon.reference.ChannelAccount a) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    if (a.id() != null) {
      m.put("id", a.id());
    }
    if (a.name() != null) {
      m.put("name", a.name());
    }
    return m;
  }

  private CompletableFuture<SendOutcome> withId(ConnectorClient.Call call) {
    return execute(call)
        .thenApply(
            a ->
                a.outcome().delivered()
                    ? ConnectorResponses.activity(a.outcome(), a.body())
                    : a.outcome());
  }

  private static String activityUrl(ConversationReference to, String activityId) {
    return ConnectorUrls.conversations(ServiceUrl.parse(to.serviceUrl()))
        + "/"
        + ConnectorUrls.segment(to.conversation().id())
        + "/activities/"
        + ConnectorUrls.segment(activityId);
  }

  private static byte[] body(Activity a) {
    return dev.beckon.internal.json.ActivityWriter.write(a);
  }

  private static void requireId(String id, String name) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /**
   * Releases the connection pool and threads (those of {@link #withoutRetries()} too). Sends in
   * flight end at once with error code {@code Closed} ({@link SendOutcome.Kind#UNKNOWN} for a POST
   * that may have been sent, else {@link SendOutcome.Kind#FAILED}); later sends end {@code FAILED}
   * with {@code Closed} and send nothing. On the view {@link #withoutRetries()} returns, does
   * nothing: the sender it came from owns the connections.
   */
  @Override
  public void close() {
    if (owner) {
      client.close();
    }
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    // read by ConnectorClient
    @Nullable TokenProvider tokens;
    @Nullable HttpTransport transport;
    private boolean anonymous;
    TrustPolicy trust = TrustPolicy.publicCloud();
    private @Nullable Cloud cloud;
    RetryStrategy retry = RetryStrategy.defaults();
    boolean retryUnsafePosts;
    Timeouts timeouts = Timeouts.defaults();
    int maxConnections = 64;
    int maxResponseBytes = HttpTransport.DEFAULT_MAX_RESPONSE_BYTES;
    int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    String userAgent = "Beckon/" + Beckon.version() + " (Java " + Runtime.version().feature() + ")";
    Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sends with the bot's token. A {@link dev.beckon.auth.TokenRouting} sends each reference with
     * the token of the app (and tenant) it names ({@link dev.beckon.auth.TokenRoute#of}); an
     * unregistered app with no fallback is {@code REJECTED} with {@code NoTokenRoute}, not sent.
     *
     * @param value e.g. {@link dev.beckon.auth.ClientCredentials}, or {@link
     *     dev.beckon.auth.TokenProvider#routing()} for many apps
     * @return this builder
     */
    public Builder credentials(TokenProvider value) {
      this.tokens = Objects.requireNonNull(value, "credentials");
      this.anonymous = false;
      return this;
    }

    /**
     * Sends without a token (Emulator, local tests); loopback service URLs are then allowed.
     *
     * @return this builder
     */
    public Builder anonymous() {
      this.tokens = null;
      this.anonymous = true;
      return this;
    }

    /**
     * The cloud the bot lives in: its hosts become the {@link TrustPolicy} ({@link
     * Cloud#trustPolicy()}), and {@link #build()} refuses {@link ClientCredentials} of another
     * cloud's scope. Default: the public cloud's hosts, no check. A later {@link
     * #trustPolicy(TrustPolicy)} replaces the hosts (start it from {@code cloud.trustPolicy()}).
     *
     * @param value the cloud
     * @return this builder
     */
    public Builder cloud(Cloud value) {
      this.cloud = Objects.requireNonNull(value, "cloud");
      this.trust = value.trustPolicy();
      return this;
    }

    /**
     * Where the token may go (default {@link TrustPolicy#publicCloud()}, or the hosts of {@link
     * #cloud(Cloud)}).
     *
     * @param value the policy
     * @return this builder
     */
    public Builder trustPolicy(TrustPolicy value) {
      this.trust = Objects.requireNonNull(value, "trustPolicy");
      return this;
    }

    /**
     * When to retry (default {@link RetryStrategy#defaults()}: 4 attempts; throttles wait their
     * {@code Retry-After}, honoured up to 30 s). Only 412, 429, 502, 503, 504 and failures to
     * connect are retried, within the {@link Timeouts#overall()} timeout; {@link
     * RetryStrategy#none()} never retries.
     *
     * <pre>{@code
     * .retry(RetryStrategy.builder().maxAttempts(6).maxRetryAfter(Duration.ofMinutes(1)).build())
     * }</pre>
     *
     * @param value the strategy
     * @return this builder
     */
    public Builder retry(RetryStrategy value) {
      this.retry = Objects.requireNonNull(value, "retry");
      return this;
    }

    /**
     * Whether a POST that may have reached the service (a read timeout, a reset after sending) is
     * retried, at the risk of posting the message twice (default false: it ends as {@link
     * SendOutcome.Kind#UNKNOWN}).
     *
     * @param value whether to
     * @return this builder
     */
    public Builder retryUnsafePosts(boolean value) {
      this.retryUnsafePosts = value;
      return this;
    }

    /**
     * Timeouts (default {@link Timeouts#defaults()}).
     *
     * @param value the timeouts
     * @return this builder
     */
    public Builder timeouts(Timeouts value) {
      this.timeouts = Objects.requireNonNull(value, "timeouts");
      return this;
    }

    /**
     * Sends through your own HTTP client instead of Beckon's pooled HttpClient 5 client (then
     * {@link #maxConnections} and {@link #ioThreads} do not apply, and {@link #close()} leaves your
     * client open).
     *
     * @param value the transport
     * @return this builder
     */
    public Builder transport(HttpTransport value) {
      this.transport = Objects.requireNonNull(value, "transport");
      return this;
    }

    /**
     * Pooled connections (total and per host): set it to the concurrency you send at (default 64).
     *
     * @param value 1 to 4096
     * @return this builder
     */
    public Builder maxConnections(int value) {
      if (value < 1 || value > 4096) {
        throw new IllegalArgumentException("maxConnections must be 1..4096 but was " + value);
      }
      this.maxConnections = value;
      return this;
    }

    /**
     * The largest response body read (default {@link HttpTransport#DEFAULT_MAX_RESPONSE_BYTES}, 64
     * KiB; the connector answers a few hundred bytes). Beckon's own transport stops reading a
     * longer body and closes that connection; any transport's longer body is not read. Such an
     * answer still gives an outcome by its status: a 2xx is {@code DELIVERED} with no id (the
     * connector accepted the message; its new id is unknown, said in {@link
     * SendOutcome#message()}), and a created conversation without its id is {@code UNKNOWN}; an
     * error status keeps its kind without the service's error code.
     *
     * @param value 1 KiB to 16 MiB
     * @return this builder
     */
    public Builder maxResponseBytes(int value) {
      if (value < 1024 || value > 16 * 1024 * 1024) {
        throw new IllegalArgumentException(
            "maxResponseBytes must be 1024..16777216 but was " + value);
      }
      this.maxResponseBytes = value;
      return this;
    }

    /**
     * I/O threads (default: cores, at most 4).
     *
     * @param value 1 to 64
     * @return this builder
     */
    public Builder ioThreads(int value) {
      if (value < 1 || value > 64) {
        throw new IllegalArgumentException("ioThreads must be 1..64 but was " + value);
      }
      this.ioThreads = value;
      return this;
    }

    /**
     * The clock for Retry-After dates.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Builds and starts the sender.
     *
     * @return the sender
     * @throws IllegalStateException when neither credentials nor anonymous mode was chosen, or when
     *     {@link ClientCredentials} ask for another scope than the {@link #cloud(Cloud)}'s
     */
    public BotConnectorSender build() {
      Cloud c = cloud;
      if (c != null && tokens instanceof ClientCredentials cc && !cc.scope().equals(c.scope())) {
        throw new IllegalStateException(
            "the credentials ask for scope "
                + cc.scope()
                + " but the sender is for cloud "
                + c.name()
                + " ("
                + c.scope()
                + "): give the credentials .cloud(Cloud) too");
      }
      if (tokens == null && !anonymous) {
        throw new IllegalStateException(
            "choose credentials(...) for a bot with an app id, or anonymous() for the "
                + "Emulator and local tests");
      }
      if (anonymous) {
        LOG.warn(
            "BotConnectorSender built anonymous: no token is sent with any request and loopback service URLs "
                + "are allowed. For the Bot Framework Emulator and local tests only; a bot with an app id uses "
                + "credentials(...)");
      }
      return new BotConnectorSender(this);
    }
  }
}
