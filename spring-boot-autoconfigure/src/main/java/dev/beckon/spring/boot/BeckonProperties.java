package dev.beckon.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code beckon.*} properties. Each is described once, here: the configuration metadata that
 * IDEs complete from is generated from these comments, and {@code docs/spring-boot.md} has the same
 * table.
 *
 * <pre>{@code
 * beckon.app-id=00000000-0000-0000-0000-000000000000
 * beckon.password=${BOT_SECRET}
 * beckon.tenant=11111111-1111-1111-1111-111111111111   # single-tenant bots
 * beckon.store.table=beckon_references
 * }</pre>
 *
 * <p>Bound once at startup; not meant to be changed afterwards. {@link #toString()} never shows the
 * password.
 */
@ConfigurationProperties(prefix = "beckon")
public class BeckonProperties {

  /** Whether Beckon's auto-configuration runs at all. */
  private boolean enabled = true;

  /**
   * The bot's Microsoft app id (Entra application id): the audience inbound tokens must carry, and
   * the client id of the outbound token.
   */
  private @Nullable String appId;

  /**
   * The bot's client secret. With the app id it gives the outbound TokenProvider
   * (client-credentials); leave it out when you define a TokenProvider bean of your own (a
   * certificate, a managed identity through beckon-auth-azure-identity). Never logged.
   */
  private @Nullable String password;

  /**
   * The Entra tenant of a single-tenant bot (its token authority). Leave it out for a multi-tenant
   * bot.
   */
  private @Nullable String tenant;

  /**
   * The cloud, core's dev.beckon.auth.Cloud preset: PUBLIC (default), US_GOV (gcc-high), US_DOD
   * (dod), CHINA; case, dashes and underscores forgiven. It chooses the token authority and scope,
   * the trusted service hosts and the inbound token issuer and keys together, as
   * AuthenticationConfig.forCloud does. A Cloud bean of yours wins (a custom cloud); CUSTOM
   * requires one.
   */
  private String cloud = "PUBLIC";

  /**
   * Service hosts trusted in addition to the cloud's own: an exact host or a {@code *.suffix}
   * wildcard. The bot's token is sent only to trusted hosts.
   */
  private List<String> trustedHosts = new ArrayList<>();

  /**
   * No authentication at all, for the Bot Framework Emulator and local tests only: inbound requests
   * are accepted without a token, and sends go without one (loopback service URLs allowed). Logs a
   * WARN at startup. Never expose such an endpoint.
   */
  private boolean anonymous;

  /** The inbound endpoint. */
  private final Endpoint endpoint = new Endpoint();

  /** Where references are kept. */
  private final Store store = new Store();

  /** The durable delivery queue and its worker. */
  private final Delivery delivery = new Delivery();

  /** Observations of sends, store calls and token requests (beckon-micrometer). */
  private final Observations observations = new Observations();

  /**
   * Whether the auto-configuration runs.
   *
   * @return true unless {@code beckon.enabled=false}
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets {@code beckon.enabled}.
   *
   * @param enabled whether the auto-configuration runs
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * The bot's app id.
   *
   * @return the app id, or {@code null} when not set
   */
  public @Nullable String getAppId() {
    return appId;
  }

  /**
   * Sets {@code beckon.app-id}.
   *
   * @param appId the app id
   */
  public void setAppId(@Nullable String appId) {
    this.appId = blankToNull(appId);
  }

  /**
   * The client secret.
   *
   * @return the secret, or {@code null} when not set
   */
  public @Nullable String getPassword() {
    return password;
  }

  /**
   * Sets {@code beckon.password}.
   *
   * @param password the client secret
   */
  public void setPassword(@Nullable String password) {
    this.password = blankToNull(password);
  }

  /**
   * The tenant of a single-tenant bot.
   *
   * @return the tenant id, or {@code null} for a multi-tenant bot
   */
  public @Nullable String getTenant() {
    return tenant;
  }

  /**
   * Sets {@code beckon.tenant}.
   *
   * @param tenant the tenant id
   */
  public void setTenant(@Nullable String tenant) {
    this.tenant = blankToNull(tenant);
  }

  /**
   * The cloud's name.
   *
   * @return PUBLIC, US_GOV, US_DOD or CHINA (as configured; case and dashes are forgiven)
   */
  public String getCloud() {
    return cloud;
  }

  /**
   * Sets {@code beckon.cloud}.
   *
   * @param cloud the cloud's name
   */
  public void setCloud(String cloud) {
    this.cloud = cloud;
  }

  /**
   * Extra trusted service hosts.
   *
   * @return the patterns (mutable, for binding)
   */
  public List<String> getTrustedHosts() {
    return trustedHosts;
  }

  /**
   * Sets {@code beckon.trusted-hosts}.
   *
   * @param trustedHosts the patterns
   */
  public void setTrustedHosts(List<String> trustedHosts) {
    this.trustedHosts = new ArrayList<>(trustedHosts);
  }

  /**
   * Whether everything runs without authentication.
   *
   * @return true with {@code beckon.anonymous=true}
   */
  public boolean isAnonymous() {
    return anonymous;
  }

  /**
   * Sets {@code beckon.anonymous}.
   *
   * @param anonymous whether to run without authentication (local use only)
   */
  public void setAnonymous(boolean anonymous) {
    this.anonymous = anonymous;
  }

  /**
   * The endpoint settings.
   *
   * @return {@code beckon.endpoint.*}
   */
  public Endpoint getEndpoint() {
    return endpoint;
  }

  /**
   * The store settings.
   *
   * @return {@code beckon.store.*}
   */
  public Store getStore() {
    return store;
  }

  /**
   * The delivery settings.
   *
   * @return {@code beckon.delivery.*}
   */
  public Delivery getDelivery() {
    return delivery;
  }

  /**
   * The observation settings.
   *
   * @return {@code beckon.observations.*}
   */
  public Observations getObservations() {
    return observations;
  }

  @Override
  public String toString() {
    return "BeckonProperties[appId="
        + appId
        + ", password="
        + (password == null ? "none" : "***")
        + ", tenant="
        + tenant
        + ", cloud="
        + cloud
        + ", trustedHosts="
        + trustedHosts
        + ", anonymous="
        + anonymous
        + ", endpoint="
        + endpoint.path
        + ", store="
        + store.type
        + ", delivery="
        + (delivery.enabled ? "worker x" + delivery.concurrency : "no worker")
        + "]";
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** {@code beckon.endpoint.*}: the inbound endpoint on the servlet stack. */
  public static class Endpoint {

    /** Whether the inbound endpoint is mapped (in a servlet web application). */
    private boolean enabled = true;

    /** Where the Bot Connector posts activities (the messaging endpoint of your bot resource). */
    private String path = "/api/messages";

    /** The largest request body accepted, in bytes (413 above it); at least 1024. */
    private int maxBodyBytes = 262_144;

    /** Creates the defaults. */
    public Endpoint() {}

    /**
     * Whether the endpoint is mapped.
     *
     * @return true unless {@code beckon.endpoint.enabled=false}
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets {@code beckon.endpoint.enabled}.
     *
     * @param enabled whether to map it
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The endpoint's path.
     *
     * @return default {@code /api/messages}
     */
    public String getPath() {
      return path;
    }

    /**
     * Sets {@code beckon.endpoint.path}.
     *
     * @param path a path starting with {@code /}
     */
    public void setPath(String path) {
      this.path = path;
    }

    /**
     * The body limit.
     *
     * @return bytes (default 262144, as core's CaptureHandler)
     */
    public int getMaxBodyBytes() {
      return maxBodyBytes;
    }

    /**
     * Sets {@code beckon.endpoint.max-body-bytes}.
     *
     * @param maxBodyBytes bytes, at least 1024
     */
    public void setMaxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
    }
  }

  /** {@code beckon.store.*}: which store keeps the references, and its table or prefix. */
  public static class Store {

    /**
     * Which store: AUTO (default: the first client bean found, in the order JDBC DataSource, Jedis
     * UnifiedJedis, Azure TableClient, DynamoDbClient, else in memory), JDBC, REDIS, AZURE_TABLE,
     * DYNAMODB or MEMORY. A ReferenceRepository bean of your own always wins.
     */
    private StoreType type = StoreType.AUTO;

    /**
     * The JDBC or DynamoDB table (default beckon_references). The Azure table is the one your
     * TableClient names.
     */
    private @Nullable String table;

    /** The Redis key prefix (default beckon). */
    private @Nullable String prefix;

    /** How long a saved reference lives (none by default: references are kept until removed). */
    private @Nullable Duration ttl;

    /**
     * Create the JDBC schema, the DynamoDB table or the Azure table at startup if missing. Off by
     * default: Beckon never changes infrastructure unless told to.
     */
    private boolean initializeSchema;

    /** Creates the defaults. */
    public Store() {}

    /**
     * The store's type.
     *
     * @return default AUTO
     */
    public StoreType getType() {
      return type;
    }

    /**
     * Sets {@code beckon.store.type}.
     *
     * @param type the type
     */
    public void setType(StoreType type) {
      this.type = type;
    }

    /**
     * The table name.
     *
     * @return the table, or {@code null} for the store's default
     */
    public @Nullable String getTable() {
      return table;
    }

    /**
     * Sets {@code beckon.store.table}.
     *
     * @param table the table name
     */
    public void setTable(@Nullable String table) {
      this.table = blankToNull(table);
    }

    /**
     * The Redis key prefix.
     *
     * @return the prefix, or {@code null} for the store's default
     */
    public @Nullable String getPrefix() {
      return prefix;
    }

    /**
     * Sets {@code beckon.store.prefix}.
     *
     * @param prefix the key prefix
     */
    public void setPrefix(@Nullable String prefix) {
      this.prefix = blankToNull(prefix);
    }

    /**
     * The references' time to live.
     *
     * @return the TTL, or {@code null} for none
     */
    public @Nullable Duration getTtl() {
      return ttl;
    }

    /**
     * Sets {@code beckon.store.ttl}.
     *
     * @param ttl the TTL
     */
    public void setTtl(@Nullable Duration ttl) {
      this.ttl = ttl;
    }

    /**
     * Whether the schema or table is created at startup.
     *
     * @return false unless {@code beckon.store.initialize-schema=true}
     */
    public boolean isInitializeSchema() {
      return initializeSchema;
    }

    /**
     * Sets {@code beckon.store.initialize-schema}.
     *
     * @param initializeSchema whether to create it
     */
    public void setInitializeSchema(boolean initializeSchema) {
      this.initializeSchema = initializeSchema;
    }
  }

  /** Which store the auto-configuration builds. */
  public enum StoreType {
    /** The first client bean found (JDBC, Redis, Azure Table, DynamoDB), else in memory. */
    AUTO,
    /** beckon-storage-jdbc over your DataSource bean. */
    JDBC,
    /** beckon-storage-redis over your Jedis UnifiedJedis bean. */
    REDIS,
    /** beckon-storage-azure-table over your TableClient bean. */
    AZURE_TABLE,
    /** beckon-storage-dynamodb over your DynamoDbClient bean. */
    DYNAMODB,
    /** In memory: not durable, references are lost on restart. */
    MEMORY
  }

  /**
   * {@code beckon.delivery.*}: the durable delivery queue ({@code dev.beckon.delivery}) and its
   * worker. The queue bean comes from your beans (a {@code DataSource} gives {@code
   * JdbcDeliveryQueue}, a {@code UnifiedJedis} gives {@code RedisDeliveryQueue}; a {@code
   * DeliveryQueue} bean of yours wins); the worker runs with {@code beckon.delivery.enabled=true}.
   */
  public static class Delivery {
    /**
     * Whether a delivery worker runs in this application: it claims due deliveries of the
     * DeliveryQueue bean and sends them (a SmartLifecycle, stopped gracefully on shutdown). Without
     * a JDBC or Redis client bean or a DeliveryQueue bean of your own, the queue is then in memory
     * (not durable; WARN).
     */
    private boolean enabled;

    /**
     * How many deliveries the worker sends at once (1 to 1000); it claims only as many as it has
     * free slots.
     */
    private int concurrency = 4;

    /**
     * How long a claim is exclusive (1 s to 1 h): longer than a send can take (the sender's overall
     * timeout, 60 s by default). A dead worker's claims wait this long before another worker
     * records them UNKNOWN.
     */
    private Duration lease = Duration.ofMinutes(5);

    /** How long the worker waits after a poll that found nothing due. */
    private Duration pollInterval = Duration.ofMillis(500);

    /**
     * On shutdown, how long sends in flight may take to finish and record their outcome; deliveries
     * claimed but not sent are released at once. A send still running after it is recorded by
     * whichever worker takes its claim once the lease ends.
     */
    private Duration shutdownGrace = Duration.ofSeconds(30);

    /**
     * Whether a delivery whose send may or may not have arrived (UNKNOWN outcome, a worker lost
     * during its send) is sent again like a transient failure instead of ending UNKNOWN: at least
     * once instead of at most once.
     */
    private boolean resendUnknown;

    /** The delivery queue's table on your DataSource (default beckon_deliveries). */
    private @Nullable String table;

    /**
     * The delivery queue's Redis key prefix, also its cluster hash tag (default beckon-deliveries).
     */
    private @Nullable String prefix;

    /**
     * Whether the delivery queue's table is created at startup (JDBC; idempotent). Otherwise run
     * JdbcDeliveryQueue.schemaScript() in your migrations.
     */
    private boolean initializeSchema;

    /**
     * The queue's name in metrics (the beckon.queue tag of beckon.delivery.*): 1 to 64 characters
     * of A-Z a-z 0-9 _ . -.
     */
    private String name = "deliveries";

    /** Creates the defaults. */
    public Delivery() {}

    /**
     * Whether the worker runs.
     *
     * @return false unless {@code beckon.delivery.enabled=true}
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets {@code beckon.delivery.enabled}.
     *
     * @param enabled whether the worker runs
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The worker's concurrency.
     *
     * @return default 4
     */
    public int getConcurrency() {
      return concurrency;
    }

    /**
     * Sets {@code beckon.delivery.concurrency}.
     *
     * @param concurrency sends in flight
     */
    public void setConcurrency(int concurrency) {
      this.concurrency = concurrency;
    }

    /**
     * The claims' lease.
     *
     * @return default 5 minutes
     */
    public Duration getLease() {
      return lease;
    }

    /**
     * Sets {@code beckon.delivery.lease}.
     *
     * @param lease the lease
     */
    public void setLease(Duration lease) {
      this.lease = lease;
    }

    /**
     * The idle poll interval.
     *
     * @return default 500 ms
     */
    public Duration getPollInterval() {
      return pollInterval;
    }

    /**
     * Sets {@code beckon.delivery.poll-interval}.
     *
     * @param pollInterval the interval
     */
    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    /**
     * The shutdown grace.
     *
     * @return default 30 s
     */
    public Duration getShutdownGrace() {
      return shutdownGrace;
    }

    /**
     * Sets {@code beckon.delivery.shutdown-grace}.
     *
     * @param shutdownGrace the grace
     */
    public void setShutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = shutdownGrace;
    }

    /**
     * Whether UNKNOWN outcomes are resent.
     *
     * @return false by default
     */
    public boolean isResendUnknown() {
      return resendUnknown;
    }

    /**
     * Sets {@code beckon.delivery.resend-unknown}.
     *
     * @param resendUnknown whether to resend
     */
    public void setResendUnknown(boolean resendUnknown) {
      this.resendUnknown = resendUnknown;
    }

    /**
     * The JDBC table.
     *
     * @return the table, or {@code null} for the default
     */
    public @Nullable String getTable() {
      return table;
    }

    /**
     * Sets {@code beckon.delivery.table}.
     *
     * @param table the table name
     */
    public void setTable(@Nullable String table) {
      this.table = blankToNull(table);
    }

    /**
     * The Redis key prefix.
     *
     * @return the prefix, or {@code null} for the default
     */
    public @Nullable String getPrefix() {
      return prefix;
    }

    /**
     * Sets {@code beckon.delivery.prefix}.
     *
     * @param prefix the prefix
     */
    public void setPrefix(@Nullable String prefix) {
      this.prefix = blankToNull(prefix);
    }

    /**
     * Whether the queue's table is created at startup.
     *
     * @return false by default
     */
    public boolean isInitializeSchema() {
      return initializeSchema;
    }

    /**
     * Sets {@code beckon.delivery.initialize-schema}.
     *
     * @param initializeSchema whether to create it
     */
    public void setInitializeSchema(boolean initializeSchema) {
      this.initializeSchema = initializeSchema;
    }

    /**
     * The queue's metric name.
     *
     * @return default {@code deliveries}
     */
    public String getName() {
      return name;
    }

    /**
     * Sets {@code beckon.delivery.name}.
     *
     * @param name the name
     */
    public void setName(String name) {
      this.name = name;
    }
  }

  /**
   * {@code beckon.observations.*}: Micrometer observations and meters of Beckon's sends, store
   * calls, token requests, retries and broadcasts, wired when {@code beckon-micrometer} is on the
   * classpath and an {@code ObservationRegistry} or {@code MeterRegistry} is a bean.
   */
  public static class Observations {

    /**
     * Whether Beckon's sends, store calls and token requests are observed (and its retries and
     * broadcasts metered) when an ObservationRegistry or MeterRegistry bean exists.
     */
    private boolean enabled = true;

    /**
     * Whether send spans carry the conversation id and activity id (activity.conversation_id,
     * activity.id) as high-cardinality keys. They identify users' conversations; never metric tags.
     */
    private boolean highCardinalityIds;

    /** Creates the defaults. */
    public Observations() {}

    /**
     * Whether observations are wired.
     *
     * @return true by default
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets {@code beckon.observations.enabled}.
     *
     * @param enabled whether observations are wired
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Whether send spans carry the conversation and activity ids.
     *
     * @return false by default
     */
    public boolean isHighCardinalityIds() {
      return highCardinalityIds;
    }

    /**
     * Sets {@code beckon.observations.high-cardinality-ids}.
     *
     * @param highCardinalityIds whether spans carry the ids
     */
    public void setHighCardinalityIds(boolean highCardinalityIds) {
      this.highCardinalityIds = highCardinalityIds;
    }
  }
}
