package dev.beckon.storage.azuretable;

import static com.azure.core.util.Context.NONE;
import static com.azure.data.tables.models.TableEntityUpdateMode.REPLACE;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link dev.beckon.store.ReferenceRepository} over Azure Table Storage, through a {@link
 * TableClient} you create (the repository never closes or reconfigures it).
 *
 * <pre>{@code
 * TableClient table = new TableClientBuilder().connectionString(cs).tableName("beckonreferences").buildClient();
 * AzureTableReferenceRepository repository = AzureTableReferenceRepository.builder(table).build();
 * repository.createTable();   // explicit, once
 * }</pre>
 *
 * <p><b>Keys.</b> Azure refuses {@code / \ # ?}, tab and control characters in keys and caps them
 * at 1 KiB, so no id is used as a key: {@code RowKey} = {@link ReferenceKey#hash()} (64 hex) and
 * {@code PartitionKey} = {@code c<first 16 hex of sha256(channelId)>-<bucket % 16>} (16 shards per
 * channel: one channel is listed with a single partition-range query, and no one partition holds it
 * all). The ids themselves are properties ({@code channelId}, {@code conversationId}), next to
 * {@code tenantId}, {@code bucket}, {@code expiresAt} (epoch ms, 0 = never) and {@code reference}
 * (the canonical JSON). The version is the entity's ETag.
 *
 * <p><b>Requests.</b> save = one upsert; find = one point read; insertIfAbsent = one insert (two
 * more only over an expired entity); replace and delete = a read and a conditional write
 * (If-Match); listing = one query per page, Azure's continuation token in the cursor. Azure Table
 * has no TTL: expired entities are filtered on every read and removed by {@link #purgeExpired()}. A
 * missing table is a {@link dev.beckon.store.TableMissingException} naming {@link #createTable()}.
 * Thread-safe.
 */
public final class AzureTableReferenceRepository extends AbstractReferenceRepository {

  /** Shards per channel. Part of the stored layout: never change it for an existing table. */
  public static final int SHARDS = 16;

  /**
   * Azure's limit for one string property, in bytes (UTF-16): core's cap of 32 KiB of UTF-8 keeps
   * every reference's JSON within it.
   */
  public static final int MAX_STRING_PROPERTY_BYTES = 64 * 1024;

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
   */
  public boolean createTable() {
    try {
      table.createTable();
      LOG.info("Created Azure table {} for conversation references", table.getTableName());
      return true;
    } catch (HttpResponseException e) {
      if (status(e) != 409) {
        throw failure("createTable", e);
      }
      LOG.debug("Azure table {} exists already", table.getTableName());
      return false;
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

  /** The entity of a row: its JSON (at most 32 KiB of UTF-8) fits one string property. */
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
    String partition = partition(key.channelId(), key.bucket());
    return unless(
        Set.of(404),
        Optional.empty(),
        () ->
            Optional.of(
                row(
                    table
                        .getEntityWithResponse(partition, key.hash(), null, timeout, NONE)
                        .getValue())));
  }

  @Override
  protected WriteResult write(RowWrite row, Precondition precondition) {
    TableEntity e = entity(row);
    if (precondition.kind() == Precondition.Kind.ANY) {
      return written(table.upsertEntityWithResponse(e, REPLACE, timeout, NONE));
    }
    if (precondition.kind() == Precondition.Kind.ABSENT) {
      Optional<WriteResult> created =
          unless(
              Set.of(409),
              Optional.empty(),
              () -> Optional.of(written(table.createEntityWithResponse(e, timeout, NONE))));
      if (created.isPresent()) {
        return created.get();
      } // exists: only an expired entity may be replaced, and only the one we looked at (If-Match)
    }
    Optional<StoredRow> current = read(row.document().key());
    if (current.isEmpty() && precondition.kind() == Precondition.Kind.ABSENT) {
      return WriteResult.refusedUnknownVersion(); // removed since the insert failed: a race
    }
    boolean live = current.isPresent() && current.get().liveAt(row.nowMillis());
    WriteResult refused = precondition.refusal(live ? current.get().version() : null);
    if (refused != null) {
      return refused;
    }
    e.addProperty("odata.etag", current.get().version()); // expired (absent), or the live one
    return unless(
        Set.of(412, 404),
        WriteResult.refusedUnknownVersion(),
        () -> written(table.updateEntityWithResponse(e, REPLACE, true, timeout, NONE)));
  }

  @Override
  protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) {
    Optional<StoredRow> current = read(key);
    if (current.isEmpty()) {
      return WriteResult.refused(null);
    }
    String etag = Objects.requireNonNull(current.get().version());
    TableEntity e = new TableEntity(partition(key.channelId(), key.bucket()), key.hash());
    e.addProperty("odata.etag", etag);
    if (!current.get().liveAt(nowMillis)) {
      deleteEntity(e, true);
      return WriteResult.refused(null);
    }
    WriteResult refused = precondition.refusal(etag);
    if (refused != null) {
      return refused;
    }
    boolean versioned = precondition.version() != null;
    if (deleteEntity(e, versioned)) {
      return WriteResult.ok();
    }
    return versioned ? WriteResult.refusedUnknownVersion() : WriteResult.refused(null);
  }

  /**
   * Whether this call deleted the entity: not when it was gone already or (ifUnchanged) changed.
   */
  private boolean deleteEntity(TableEntity e, boolean ifUnchanged) {
    // the SDK answers a 404 (deleted meanwhile by someone else) with a response, not an exception
    return unless(
        Set.of(404, 412),
        false,
        () -> table.deleteEntityWithResponse(e, ifUnchanged, timeout, NONE).getStatusCode() != 404);
  }

  /** A call, or {@code otherwise} when Azure answers one of these statuses; other failures pass. */
  private static <T> T unless(Set<Integer> statuses, T otherwise, Supplier<T> call) {
    try {
      return call.get();
    } catch (HttpResponseException e) {
      if (statuses.contains(status(e)) && !isTableMissing(e)) {
        return otherwise;
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
    List<String> filters = new ArrayList<>();
    if (scan.channelId() != null) {
      String p = channelPrefix(scan.channelId());
      filters.add("PartitionKey ge '" + p + "00' and PartitionKey le '" + p + (SHARDS - 1) + "'");
      filters.add("channelId eq " + literal(scan.channelId()));
    }
    if (scan.tenantId() != null) {
      filters.add("tenantId eq " + literal(scan.tenantId()));
    }
    filters.add("(expiresAt eq 0L or expiresAt gt " + scan.nowMillis() + "L)");
    ListEntitiesOptions o =
        new ListEntitiesOptions().setFilter(String.join(" and ", filters)).setTop(scan.limit());
    // one request: the first page always comes, if empty; the base checks the segment (row key)
    PagedResponse<TableEntity> page =
        table.listEntities(o, timeout, NONE).iterableByPage(token).iterator().next();
    List<StoredRow> rows =
        page.getValue().stream().map(AzureTableReferenceRepository::row).toList();
    return new ScanResult(rows, page.getContinuationToken());
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  @Override
  protected long purge(long nowMillis) {
    String expired = "expiresAt gt 0L and expiresAt le " + nowMillis + "L";
    ListEntitiesOptions o = new ListEntitiesOptions().setFilter(expired).setTop(1000);
    long n = 0;
    for (TableEntity e : table.listEntities(o, timeout, NONE)) {
      n += deleteEntity(e, true) ? 1 : 0;
    }
    return n;
  }

  private static int status(HttpResponseException e) {
    return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
  }

  private static boolean isTableMissing(HttpResponseException e) {
    if (e instanceof TableServiceException t
        && t.getValue() != null
        && t.getValue().getErrorCode() != null) {
      return "TableNotFound".equals(t.getValue().getErrorCode().toString());
    }
    return status(e) == 404 && String.valueOf(e.getMessage()).contains("TableNotFound");
  }

  @Override
  protected StoreException failure(String op, RuntimeException failure) {
    String create = "once with AzureTableReferenceRepository.createTable()";
    if (!(failure instanceof HttpResponseException e)) {
      return super.failure(op, failure);
    }
    return isTableMissing(e)
        ? StoreErrors.tableMissing(
            this, op, "create table '" + table.getTableName() + "' " + create, e)
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
     */
    public Builder timeout(Duration value) {
      this.timeout = Objects.requireNonNull(value, "timeout");
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
