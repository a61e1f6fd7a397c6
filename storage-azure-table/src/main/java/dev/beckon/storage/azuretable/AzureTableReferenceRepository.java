package dev.beckon.storage.azuretable;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.ReferenceTooLargeException;
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
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
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
 * more only over an expired entity); replace and versioned delete = a read and a conditional write
 * (If-Match); listing = one query per page with Azure's continuation token inside an opaque cursor.
 * Azure Table has no TTL: expired entities are filtered on every read and removed by {@link
 * #purgeExpired()}.
 *
 * <p>Thread-safe. Every Azure failure becomes a {@link StoreException} (the Azure exception is the
 * cause); a missing table names the table and {@link #createTable()}.
 */
public final class AzureTableReferenceRepository extends AbstractReferenceRepository {

  /** Shards per channel. Part of the stored layout: never change it for an existing table. */
  public static final int SHARDS = 16;

  /** Azure's limit for one string property, in bytes (UTF-16). */
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
      if (e.getResponse().getStatusCode() == 409) {
        LOG.debug("Azure table {} exists already", table.getTableName());
        return false;
      }
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
    if (doc.json().length() * 2 > MAX_STRING_PROPERTY_BYTES) {
      throw new ReferenceTooLargeException(
          doc.key(), doc.json().length() * 2L, MAX_STRING_PROPERTY_BYTES);
    }
    TableEntity e = new TableEntity(partition(doc.key().channelId(), doc.bucket()), doc.keyHash());
    e.addProperty("channelId", doc.key().channelId());
    e.addProperty("conversationId", doc.key().conversationId());
    if (doc.tenantId() != null) {
      e.addProperty("tenantId", doc.tenantId());
    }
    e.addProperty("bucket", doc.bucket());
    e.addProperty("expiresAt", row.expiresAtMillis());
    e.addProperty("reference", doc.json());
    return e;
  }

  /** The version of a row is its ETag, assigned by Azure on every write. */
  private String etag(Response<?> r) {
    String etag = r.getHeaders().getValue(HttpHeaderName.ETAG);
    if (etag == null) {
      throw StoreErrors.failure(this, "write", "Azure Table answered without an ETag", null);
    }
    return normalize(etag);
  }

  /** The header and the entity give the same ETag with and without its closing quote. */
  static String normalize(String etag) {
    return etag.startsWith("W/\"") && !etag.endsWith("\"") ? etag + "\"" : etag;
  }

  private static String etag(TableEntity e) {
    return normalize(e.getETag());
  }

  /** A string property, or {@code null} when it is missing or not a string. */
  private static @Nullable String text(TableEntity e, String property) {
    return e.getProperty(property) instanceof String s ? s : null;
  }

  private static long expiry(TableEntity e) {
    return e.getProperty("expiresAt") instanceof Number n ? n.longValue() : 0;
  }

  private static StoredRow row(TableEntity e) {
    return new StoredRow(
        e.getRowKey(),
        text(e, "channelId"),
        text(e, "conversationId"),
        text(e, "reference"),
        etag(e),
        expiry(e));
  }

  @Override
  protected Optional<StoredRow> read(ReferenceKey key) {
    return entity(key, "find").map(AzureTableReferenceRepository::row);
  }

  private Optional<TableEntity> entity(ReferenceKey key, String op) {
    try {
      return Optional.of(
          table
              .getEntityWithResponse(
                  partition(key.channelId(), key.bucket()), key.hash(), null, timeout, Context.NONE)
              .getValue());
    } catch (HttpResponseException e) {
      if (e.getResponse().getStatusCode() == 404 && !isTableMissing(e)) {
        return Optional.empty();
      }
      throw failure(op, e);
    }
  }

  @Override
  protected WriteResult write(RowWrite row, Precondition precondition) {
    TableEntity e = entity(row);
    return switch (precondition.kind()) {
      case ANY -> upsert(e);
      case ABSENT -> insert(e, row);
      case VERSION -> replace(e, row, precondition);
    };
  }

  private WriteResult upsert(TableEntity e) {
    return WriteResult.ok(
        etag(
            table.upsertEntityWithResponse(
                e, TableEntityUpdateMode.REPLACE, timeout, Context.NONE)));
  }

  private WriteResult insert(TableEntity e, RowWrite row) {
    try {
      return WriteResult.ok(etag(table.createEntityWithResponse(e, timeout, Context.NONE)));
    } catch (HttpResponseException ex) {
      if (ex.getResponse().getStatusCode() != 409) {
        throw failure("insertIfAbsent", ex);
      }
    }
    // exists: only an expired entity may be replaced, and only the one we looked at (If-Match)
    Optional<TableEntity> old = entity(row.document().key(), "insertIfAbsent");
    if (old.isEmpty()) {
      return WriteResult.refusedUnknownVersion(); // removed meanwhile: someone else's race
    }
    if (row(old.get()).liveAt(row.nowMillis())) {
      return WriteResult.refused(etag(old.get()));
    }
    return replaceIfMatch(e, etag(old.get()), "insertIfAbsent");
  }

  private WriteResult replace(TableEntity e, RowWrite row, Precondition precondition) {
    Optional<TableEntity> current = entity(row.document().key(), "replace");
    if (current.isEmpty() || !row(current.get()).liveAt(row.nowMillis())) {
      return WriteResult.refused(null);
    }
    if (!etag(current.get()).equals(precondition.version())) {
      return WriteResult.refused(etag(current.get()));
    }
    return replaceIfMatch(e, etag(current.get()), "replace");
  }

  private WriteResult replaceIfMatch(TableEntity e, String etag, String op) {
    e.addProperty("odata.etag", etag);
    try {
      return WriteResult.ok(
          etag(
              table.updateEntityWithResponse(
                  e, TableEntityUpdateMode.REPLACE, true, timeout, Context.NONE)));
    } catch (HttpResponseException ex) {
      int s = ex.getResponse().getStatusCode();
      if (s == 412 || s == 404) {
        return WriteResult.refusedUnknownVersion();
      }
      throw failure(op, ex);
    }
  }

  @Override
  protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) {
    Optional<TableEntity> current = entity(key, "delete");
    if (current.isEmpty()) {
      return WriteResult.refused(null);
    }
    TableEntity e = current.get();
    if (!row(e).liveAt(nowMillis)) {
      deleteEntity(e, true);
      return WriteResult.refused(null);
    }
    boolean versioned = precondition.kind() == Precondition.Kind.VERSION;
    if (versioned && !etag(e).equals(precondition.version())) {
      return WriteResult.refused(etag(e));
    }
    if (deleteEntity(e, versioned)) {
      return WriteResult.ok();
    }
    return versioned ? WriteResult.refusedUnknownVersion() : WriteResult.refused(null);
  }

  /**
   * Whether this call deleted the entity: false when it was gone already or (ifUnchanged) changed.
   */
  private boolean deleteEntity(TableEntity e, boolean ifUnchanged) {
    try {
      // the SDK answers a 404 (deleted meanwhile by someone else) with a response, not an exception
      return table.deleteEntityWithResponse(e, ifUnchanged, timeout, Context.NONE).getStatusCode()
          != 404;
    } catch (HttpResponseException ex) {
      int s = ex.getResponse().getStatusCode();
      if (s == 404 || s == 412) {
        return false;
      }
      throw failure("delete", ex);
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
    Iterator<PagedResponse<TableEntity>> pages =
        table.listEntities(o, timeout, Context.NONE).iterableByPage(token).iterator();
    if (!pages.hasNext()) {
      return new ScanResult(List.of(), null);
    }
    PagedResponse<TableEntity> page = pages.next();
    List<StoredRow> rows = new ArrayList<>(page.getValue().size());
    for (TableEntity e : page.getValue()) {
      rows.add(row(e)); // the segment is checked by the base, from the row key (the key hash)
    }
    return new ScanResult(rows, page.getContinuationToken());
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  @Override
  protected long purge(long nowMillis) {
    ListEntitiesOptions o =
        new ListEntitiesOptions()
            .setFilter("expiresAt gt 0L and expiresAt le " + nowMillis + "L")
            .setTop(1000);
    long n = 0;
    for (TableEntity e : table.listEntities(o, timeout, Context.NONE)) {
      n += deleteEntity(e, true) ? 1 : 0;
    }
    return n;
  }

  private static boolean isTableMissing(HttpResponseException e) {
    if (e instanceof TableServiceException t
        && t.getValue() != null
        && t.getValue().getErrorCode() != null) {
      return "TableNotFound".equals(t.getValue().getErrorCode().toString());
    }
    return e.getResponse() != null
        && e.getResponse().getStatusCode() == 404
        && e.getMessage() != null
        && e.getMessage().contains("TableNotFound");
  }

  @Override
  protected StoreException failure(String op, RuntimeException failure) {
    if (!(failure instanceof HttpResponseException e)) {
      return super.failure(op, failure);
    }
    if (isTableMissing(e)) {
      return StoreErrors.tableMissing(
          this,
          op,
          "create table '"
              + table.getTableName()
              + "' once with AzureTableReferenceRepository.createTable()",
          e);
    }
    return StoreErrors.failure(this, op, "HTTP " + e.getResponse().getStatusCode(), e);
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
