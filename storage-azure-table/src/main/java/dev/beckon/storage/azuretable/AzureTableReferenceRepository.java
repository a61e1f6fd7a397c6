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
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.PurgeableRepository;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.StoreException;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.StoredReference;
import dev.beckon.store.TableMissingException;
import dev.beckon.store.UnreadableReference;
import dev.beckon.store.UnreadableReferenceException;
import dev.beckon.store.VersionConflictException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
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
public final class AzureTableReferenceRepository implements PurgeableRepository {

  /** Shards per channel. Part of the stored layout: never change it for an existing table. */
  public static final int SHARDS = 16;

  /** Azure's limit for one string property, in bytes (UTF-16). */
  public static final int MAX_STRING_PROPERTY_BYTES = 64 * 1024;

  private static final String CURSOR = "a1.";

  private static final Logger LOG = LoggerFactory.getLogger(AzureTableReferenceRepository.class);

  private final TableClient table;
  private final StoreOptions options;
  private final Duration timeout;

  private AzureTableReferenceRepository(Builder b) {
    this.table = b.table;
    this.options = b.options;
    this.timeout = b.timeout;
  }

  /**
   * Names the backend and the table, e.g. {@code AzureTableReferenceRepository[table beckon]};
   * never the endpoint, a SAS token or the account key.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "AzureTableReferenceRepository[table " + table.getTableName() + "]";
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

  static String partition(String channelId, int bucket) {
    return "c" + sha256(channelId).substring(0, 16) + "-" + String.format("%02d", bucket % SHARDS);
  }

  private TableEntity entity(ReferenceDocument doc) {
    if (doc.json().length() * 2 > MAX_STRING_PROPERTY_BYTES) {
      throw new dev.beckon.store.ReferenceTooLargeException(
          doc.key(), doc.json().length() * 2L, MAX_STRING_PROPERTY_BYTES);
    }
    TableEntity e = new TableEntity(partition(doc.key().channelId(), doc.bucket()), doc.keyHash());
    e.addProperty("channelId", doc.key().channelId());
    e.addProperty("conversationId", doc.key().conversationId());
    if (doc.tenantId() != null) {
      e.addProperty("tenantId", doc.tenantId());
    }
    e.addProperty("bucket", doc.bucket());
    e.addProperty(
        "expiresAt", options.expiryOfWriteNow().map(java.time.Instant::toEpochMilli).orElse(0L));
    e.addProperty("reference", doc.json());
    return e;
  }

  private static String etag(Response<?> r) {
    String etag = r.getHeaders().getValue(HttpHeaderName.ETAG);
    if (etag == null) {
      throw new StoreException("Azure Table answered without an ETag", null);
    }
    return normalize(etag);
  }

  /** The header and the entity give the same ETag with and without its closing quote. */
  static String normalize(String etag) {
    return etag.startsWith("W/\"") && !etag.endsWith("\"") ? etag + "\"" : etag;
  }

  /** A string property, or {@code null} when it is missing or not a string. */
  private static @Nullable String text(TableEntity e, String property) {
    return e.getProperty(property) instanceof String s ? s : null;
  }

  /**
   * {@link ReferenceKey#bucket()} from a key hash: its first 31 bits; -1 if it is not a key hash.
   */
  private static int bucketOf(String keyHash) {
    try {
      return (int) (Long.parseLong(keyHash.substring(0, 8), 16) & 0x7fffffffL);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static String etag(TableEntity e) {
    return normalize(e.getETag());
  }

  @Override
  public StoredReference save(ConversationReference reference) {
    ReferenceDocument doc = ReferenceDocument.of(reference);
    try {
      Response<Void> r =
          table.upsertEntityWithResponse(
              entity(doc), TableEntityUpdateMode.REPLACE, timeout, Context.NONE);
      return new StoredReference(reference, etag(r));
    } catch (HttpResponseException e) {
      throw failure("save", e);
    }
  }

  @Override
  public Optional<StoredReference> insertIfAbsent(ConversationReference reference) {
    ReferenceDocument doc = ReferenceDocument.of(reference);
    TableEntity e = entity(doc);
    try {
      Response<Void> r = table.createEntityWithResponse(e, timeout, Context.NONE);
      return Optional.of(new StoredReference(reference, etag(r)));
    } catch (HttpResponseException ex) {
      if (ex.getResponse().getStatusCode() != 409) {
        throw failure("insertIfAbsent", ex);
      }
    }
    // exists: only an expired entity may be replaced, and only the one we looked at (If-Match)
    Optional<TableEntity> current = read(e.getPartitionKey(), e.getRowKey());
    if (current.isEmpty() || !isExpired(current.get())) {
      return Optional.empty();
    }
    return conditionalReplace(e, etag(current.get()), reference);
  }

  private Optional<StoredReference> conditionalReplace(
      TableEntity e, String etag, ConversationReference reference) {
    e.addProperty("odata.etag", etag);
    try {
      Response<Void> r =
          table.updateEntityWithResponse(
              e, TableEntityUpdateMode.REPLACE, true, timeout, Context.NONE);
      return Optional.of(new StoredReference(reference, etag(r)));
    } catch (HttpResponseException ex) {
      int s = ex.getResponse().getStatusCode();
      if (s == 412 || s == 404) {
        return Optional.empty();
      }
      throw failure("replace", ex);
    }
  }

  @Override
  public StoredReference replace(ConversationReference reference, String expectedVersion) {
    Objects.requireNonNull(expectedVersion, "expectedVersion");
    ReferenceDocument doc = ReferenceDocument.of(reference);
    TableEntity e = entity(doc);
    Optional<TableEntity> current = read(e.getPartitionKey(), e.getRowKey());
    if (current.isEmpty() || isExpired(current.get())) {
      throw new VersionConflictException(doc.key(), expectedVersion, null);
    }
    if (!etag(current.get()).equals(expectedVersion)) {
      throw new VersionConflictException(doc.key(), expectedVersion, etag(current.get()));
    }
    return conditionalReplace(e, expectedVersion, reference)
        .orElseThrow(() -> new VersionConflictException(doc.key(), expectedVersion, null));
  }

  @Override
  public Optional<StoredReference> find(ReferenceKey key) {
    return read(partition(key.channelId(), key.bucket()), key.hash())
        .filter(e -> !isExpired(e))
        .map(e -> ReferenceDocument.read(key, text(e, "reference"), etag(e)));
  }

  private Optional<TableEntity> read(String pk, String rk) {
    try {
      return Optional.of(
          table.getEntityWithResponse(pk, rk, null, timeout, Context.NONE).getValue());
    } catch (HttpResponseException e) {
      if (e.getResponse().getStatusCode() == 404 && !isTableMissing(e)) {
        return Optional.empty();
      }
      throw failure("find", e);
    }
  }

  @Override
  public boolean delete(ReferenceKey key) {
    Optional<TableEntity> current = read(partition(key.channelId(), key.bucket()), key.hash());
    if (current.isEmpty()) {
      return false;
    }
    boolean live = !isExpired(current.get());
    return deleteEntity(current.get(), false) && live;
  }

  @Override
  public boolean delete(ReferenceKey key, String expectedVersion) {
    Objects.requireNonNull(expectedVersion, "expectedVersion");
    Optional<TableEntity> current = read(partition(key.channelId(), key.bucket()), key.hash());
    if (current.isEmpty() || isExpired(current.get())) {
      current.ifPresent(e -> deleteEntity(e, true));
      return false;
    }
    if (!etag(current.get()).equals(expectedVersion)) {
      throw new VersionConflictException(key, expectedVersion, etag(current.get()));
    }
    if (!deleteEntity(current.get(), true)) {
      throw new VersionConflictException(key, expectedVersion, null);
    }
    return true;
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
  public Page list(ListQuery query) {
    String token = query.cursor() == null ? null : decodeCursor(query.cursor());
    List<String> filters = new ArrayList<>();
    if (query.channelId() != null) {
      String p = "c" + sha256(query.channelId()).substring(0, 16) + "-";
      filters.add("PartitionKey ge '" + p + "00' and PartitionKey le '" + p + (SHARDS - 1) + "'");
      filters.add("channelId eq " + literal(query.channelId()));
    }
    if (query.tenantId() != null) {
      filters.add("tenantId eq " + literal(query.tenantId()));
    }
    filters.add("(expiresAt eq 0L or expiresAt gt " + options.clock().millis() + "L)");
    ListEntitiesOptions o =
        new ListEntitiesOptions().setFilter(String.join(" and ", filters)).setTop(query.pageSize());
    try {
      Iterator<PagedResponse<TableEntity>> pages =
          table.listEntities(o, timeout, Context.NONE).iterableByPage(token).iterator();
      if (!pages.hasNext()) {
        return new Page(List.of(), null);
      }
      PagedResponse<TableEntity> page = pages.next();
      List<StoredReference> items = new ArrayList<>();
      List<UnreadableReference> unreadable = new ArrayList<>();
      for (TableEntity e : page.getValue()) {
        // the row key is the key hash, whose first 31 bits are the bucket: no need to trust other
        // fields
        if (query.segment() != null
            && bucketOf(e.getRowKey()) % query.segment().count() != query.segment().index()) {
          continue;
        }
        try {
          items.add(
              ReferenceDocument.read(
                  e.getRowKey(),
                  text(e, "channelId"),
                  text(e, "conversationId"),
                  text(e, "reference"),
                  etag(e)));
        } catch (UnreadableReferenceException ex) {
          unreadable.add(ex.unreadable());
        }
      }
      String next = page.getContinuationToken();
      return new Page(
          items,
          next == null
              ? null
              : CURSOR
                  + Base64.getUrlEncoder()
                      .withoutPadding()
                      .encodeToString(next.getBytes(StandardCharsets.UTF_8)),
          unreadable);
    } catch (HttpResponseException e) {
      // listing surfaces the SDK's internal error type, not TableServiceException
      throw failure("list", e);
    }
  }

  private static String decodeCursor(String cursor) {
    if (cursor.startsWith(CURSOR)) {
      try {
        String t =
            new String(
                Base64.getUrlDecoder().decode(cursor.substring(CURSOR.length())),
                StandardCharsets.UTF_8);
        if (!t.isBlank() && t.length() < 4096) {
          return t;
        }
      } catch (IllegalArgumentException e) {
        // fall through
      }
    }
    throw new IllegalArgumentException(
        "cursor was not produced by an AzureTableReferenceRepository");
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  @Override
  public long purgeExpired() {
    ListEntitiesOptions o =
        new ListEntitiesOptions()
            .setFilter("expiresAt gt 0L and expiresAt le " + options.clock().millis() + "L")
            .setTop(1000);
    long n = 0;
    try {
      for (TableEntity e : table.listEntities(o, timeout, Context.NONE)) {
        if (deleteEntity(e, true)) {
          n++;
        }
      }
    } catch (HttpResponseException e) {
      throw failure("purgeExpired", e);
    }
    return n;
  }

  private boolean isExpired(TableEntity e) {
    Object x = e.getProperty("expiresAt");
    return x instanceof Number n && options.isExpired(n.longValue());
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

  private StoreException failure(String op, HttpResponseException e) {
    if (isTableMissing(e)) {
      return new TableMissingException(
          "Azure table '"
              + table.getTableName()
              + "' does not exist: create it once with "
              + "AzureTableReferenceRepository.createTable()",
          e);
    }
    return new StoreException(
        "Azure Table "
            + op
            + " failed on table '"
            + table.getTableName()
            + "': HTTP "
            + e.getResponse().getStatusCode(),
        e);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final TableClient table;
    private StoreOptions options = StoreOptions.defaults();
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(TableClient table) {
      this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * TTL and clock.
     *
     * @param value the options
     * @return this builder
     */
    public Builder options(StoreOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
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
