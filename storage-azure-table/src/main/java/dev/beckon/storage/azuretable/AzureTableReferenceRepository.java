package dev.beckon.storage.azuretable;

import static com.azure.core.util.Context.NONE;
import static com.azure.data.tables.models.TableEntityUpdateMode.REPLACE;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.Response;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.AbstractReferenceRepository;
import dev.beckon.store.spi.Precondition;
import dev.beckon.store.spi.RowWrite;
import dev.beckon.store.spi.Scan;
import dev.beckon.store.spi.ScanResult;
import dev.beckon.store.spi.StoreBuilder;
import dev.beckon.store.spi.StoreErrors;
import dev.beckon.store.spi.StoreKeys;
import dev.beckon.store.spi.StoredRow;
import dev.beckon.store.spi.WriteResult;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link dev.beckon.store.ReferenceRepository} over Azure Table Storage, through a {@link
 * TableClient} you create (the repository never closes or reconfigures it). Thread-safe.
 *
 * <pre>{@code
 * TableClient table = new TableClientBuilder().connectionString(cs).tableName("beckonreferences").buildClient();
 * AzureTableReferenceRepository repository = AzureTableReferenceRepository.builder(table).build();
 * repository.createTable();   // explicit, once
 * }</pre>
 *
 * <p><b>Layout.</b> Azure refuses {@code / \ # ?}, tab and control characters in keys and caps them
 * at 1 KiB, so no id is a key: {@code RowKey} = {@link ReferenceKey#hash()} (64 hex), {@code
 * PartitionKey} = {@code c<first 16 hex of sha256(channelId)>-<bucket % 16>} (a channel is {@link
 * #SHARDS} partitions, listed with one partition-range query; no one partition holds it all).
 * Properties: {@code channelId}, {@code conversationId}, {@code tenantId}, {@code bucket}, {@code
 * expiresAt} (epoch ms, 0 = never) and {@code reference} (the canonical JSON: core's cap of 32 KiB
 * of UTF-8 fits Azure's 64 KiB string property). The version is the entity's ETag.
 *
 * <p><b>Requests.</b> save = one upsert; find = one point read; insertIfAbsent = one insert (two
 * more only over an expired entity); replace and delete = a read and a conditional write
 * (If-Match); a listing page = one query, Azure's continuation token in the cursor. Azure Table has
 * no TTL: expired entities are filtered on every read and removed by {@link #purgeExpired()}. A
 * missing table is a {@link dev.beckon.store.TableMissingException} naming {@link #createTable()}.
 */
public final class AzureTableReferenceRepository extends AbstractReferenceRepository {

  /** Shards per channel. Part of the stored layout: never change it for an existing table. */
  public static final int SHARDS = 16;

  private static final Logger LOG = LoggerFactory.getLogger(AzureTableReferenceRepository.class);

  private final TableClient table;
  private final Duration timeout;

  private AzureTableReferenceRepository(Builder b) {
    super(b.storeOptions());
    this.table = b.table;
    this.timeout = b.timeout;
  }

  /**
   * Starts a builder.
   *
   * @param table the table client; never closed by the repository
   * @return the builder
   */
  public static Builder builder(TableClient table) {
    return new Builder(table);
  }

  /**
   * Creates the table if it does not exist.
   *
   * @return true when it was created, false when it existed
   * @throws StoreException when Azure fails
   */
  public boolean createTable() {
    try {
      boolean created = unless(() -> table.createTableWithResponse(timeout, NONE), 409) != null;
      if (created) {
        LOG.info("Created Azure table {} for conversation references", table.getTableName());
      }
      return created;
    } catch (RuntimeException e) {
      throw failure("createTable", e);
    }
  }

  @Override
  protected String location() {
    return "table " + table.getTableName();
  }

  static String partition(String channelId, int bucket) {
    return channelPrefix(channelId) + String.format("%02d", bucket % SHARDS);
  }

  private static String channelPrefix(String channelId) {
    return "c" + StoreKeys.hex("SHA-256", channelId).substring(0, 16) + "-";
  }

  private static TableEntity entity(RowWrite row) {
    ReferenceDocument doc = row.document();
    TableEntity e = new TableEntity(partition(doc.key().channelId(), doc.bucket()), doc.keyHash());
    e.addProperty("channelId", doc.key().channelId());
    e.addProperty("conversationId", doc.key().conversationId());
    if (doc.tenantId() != null) {
      e.addProperty("tenantId", doc.tenantId());
    }
    e.addProperty("bucket", doc.bucket());
    e.addProperty("expiresAt", row.expiresAtMillis());
    return e.addProperty("reference", doc.json());
  }

  /** The version of a row is its ETag, assigned by Azure on every write. */
  private static WriteResult written(Response<?> r) {
    String etag = r.getHeaders().getValue(HttpHeaderName.ETAG); // a StoreException when missing
    return WriteResult.ok(
        normalize(Objects.requireNonNull(etag, "Azure answered without an ETag")));
  }

  /** The header and the entity give the same ETag with and without its closing quote. */
  static String normalize(String etag) {
    return etag.startsWith("W/\"") && !etag.endsWith("\"") ? etag + "\"" : etag;
  }

  private static StoredRow row(TableEntity e) {
    return new StoredRow(
        e.getRowKey(),
        e.getProperty("channelId") instanceof String s ? s : null,
        e.getProperty("conversationId") instanceof String s ? s : null,
        e.getProperty("reference") instanceof String s ? s : null,
        normalize(e.getETag()),
        e.getProperty("expiresAt") instanceof Number n ? n.longValue() : 0);
  }

  @Override
  protected Optional<StoredRow> read(ReferenceKey key) {
    String pk = partition(key.channelId(), key.bucket());
    return Optional.ofNullable(
            unless(() -> table.getEntityWithResponse(pk, key.hash(), null, timeout, NONE), 404))
        .map(r -> row(r.getValue()));
  }

  @Override
  protected WriteResult write(RowWrite row, Precondition precondition) {
    TableEntity e = entity(row);
    if (precondition.kind() == Precondition.Kind.ANY) {
      return written(table.upsertEntityWithResponse(e, REPLACE, timeout, NONE));
    }
    if (precondition.kind() == Precondition.Kind.ABSENT) {
      Response<?> created = unless(() -> table.createEntityWithResponse(e, timeout, NONE), 409);
      if (created != null) {
        return written(created);
      } // exists: only an expired entity may be replaced, and only the one we looked at (If-Match)
    }
    Optional<StoredRow> current = read(row.document().key());
    WriteResult refused = precondition.refusal(live(current, row.nowMillis()));
    if (refused != null || current.isEmpty()) { // empty: removed since the insert failed, a race
      return refused != null ? refused : WriteResult.refusedUnknownVersion();
    }
    e.addProperty("odata.etag", current.get().version()); // expired (absent), or the live one
    Response<?> updated =
        unless(() -> table.updateEntityWithResponse(e, REPLACE, true, timeout, NONE), 412, 404);
    return updated == null ? WriteResult.refusedUnknownVersion() : written(updated);
  }

  @Override
  protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) {
    Optional<StoredRow> current = read(key);
    String live = live(current, nowMillis);
    TableEntity e = new TableEntity(partition(key.channelId(), key.bucket()), key.hash());
    current.ifPresent(r -> e.addProperty("odata.etag", r.version()));
    if (live == null) {
      current.ifPresent(expired -> deleteEntity(e, true));
      return WriteResult.refused(null);
    }
    WriteResult refused = precondition.refusal(live);
    if (refused != null) {
      return refused;
    } // If-Match only when versioned: an unconditional delete wins over a write since the read
    boolean deleted = deleteEntity(e, precondition.version() != null);
    return deleted ? WriteResult.ok() : WriteResult.refusedUnknownVersion();
  }

  /** The version of the row read when it is live, else {@code null}. */
  private static @Nullable String live(Optional<StoredRow> row, long nowMillis) {
    return row.filter(r -> r.liveAt(nowMillis)).map(StoredRow::version).orElse(null);
  }

  /** Whether this call deleted it: not when it was gone already or (ifUnchanged) changed. */
  private boolean deleteEntity(TableEntity e, boolean ifUnchanged) {
    // the SDK answers a 404 (deleted meanwhile by someone else) with a response, not an exception
    Response<?> r =
        unless(() -> table.deleteEntityWithResponse(e, ifUnchanged, timeout, NONE), 404, 412);
    return r != null && r.getStatusCode() != 404;
  }

  /** A request's answer, or {@code null} when Azure refused it with one of these statuses. */
  private static <T> @Nullable T unless(Supplier<T> request, Integer... statuses) {
    try {
      return request.get();
    } catch (HttpResponseException e) {
      if (List.of(statuses).contains(status(e)) && !isTableMissing(e)) {
        return null;
      }
      throw e;
    }
  }

  @Override
  protected ScanResult scan(Scan scan) {
    String token = scan.position();
    if (token != null && (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      throw StoreErrors.badCursor("its position is not an Azure continuation token");
    }
    String filter = "(expiresAt eq 0L or expiresAt gt " + scan.nowMillis() + "L)";
    if (scan.channelId() != null) {
      String p = channelPrefix(scan.channelId());
      filter += " and PartitionKey ge '" + p + "00' and PartitionKey le '" + p + (SHARDS - 1) + "'";
      filter += " and channelId eq " + literal(scan.channelId());
    }
    if (scan.tenantId() != null) {
      filter += " and tenantId eq " + literal(scan.tenantId());
    }
    ListEntitiesOptions o = new ListEntitiesOptions().setFilter(filter).setTop(scan.limit());
    // one request: the first page always comes, if empty; the base checks the segment (row key)
    var page = table.listEntities(o, timeout, NONE).iterableByPage(token).iterator().next();
    return new ScanResult(
        page.getValue().stream().map(AzureTableReferenceRepository::row).toList(),
        page.getContinuationToken());
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  @Override
  protected long purge(long nowMillis) {
    String expired = "expiresAt gt 0L and expiresAt le " + nowMillis + "L";
    ListEntitiesOptions o = new ListEntitiesOptions().setFilter(expired).setTop(1000);
    return table.listEntities(o, timeout, NONE).stream().filter(e -> deleteEntity(e, true)).count();
  }

  private static int status(HttpResponseException e) {
    return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
  }

  private static boolean isTableMissing(HttpResponseException e) {
    TableErrorCode code =
        e instanceof TableServiceException t && t.getValue() != null
            ? t.getValue().getErrorCode()
            : null;
    return code != null
        ? TableErrorCode.TABLE_NOT_FOUND.equals(code)
        : status(e) == 404 && String.valueOf(e.getMessage()).contains("TableNotFound");
  }

  /** A missing table names the call that creates it; other HTTP failures say their status. */
  @Override
  protected StoreException failure(String op, RuntimeException failure) {
    if (!(failure instanceof HttpResponseException e)) {
      return super.failure(op, failure);
    }
    return isTableMissing(e)
        ? StoreErrors.tableMissing(
            this, op, "create table '" + table.getTableName() + "' once with createTable()", e)
        : StoreErrors.failure(this, op, "HTTP " + status(e), e);
  }

  /** Builder; not thread-safe. */
  public static final class Builder extends StoreBuilder<Builder> {
    private final TableClient table;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(TableClient table) {
      this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * Timeout of every request (default 10 s).
     *
     * @param value the timeout
     * @return this builder
     * @throws IllegalArgumentException when it is zero or negative
     */
    public Builder timeout(Duration value) {
      this.timeout = requirePositive(value, "timeout");
      return this;
    }

    /**
     * Builds the repository; makes no request.
     *
     * @return the repository
     */
    public AzureTableReferenceRepository build() {
      return new AzureTableReferenceRepository(this);
    }
  }
}
