package dev.beckon.storage.azuretable;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.codec.ResumptionCookies;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Migrates the seed article's hand-stored v3 ResumptionCookie JSON (one Azure Table row per cookie,
 * the JSON in one string column) into any Beckon {@link ReferenceRepository}, streaming the source
 * table page by page.
 *
 * <pre>{@code
 * ResumptionCookieImport.Report r = ResumptionCookieImport.from(oldTable, "ResumptionCookie").into(repository);
 * }</pre>
 *
 * <p>A row that cannot be imported (column missing, not a cookie, the refused .NET BinaryFormatter
 * form, …) is skipped and reported with its keys and the reason; the others are imported.
 * Re-running is harmless: writes are upserts.
 */
public final class ResumptionCookieImport {

  private final TableClient source;
  private final String column;

  private ResumptionCookieImport(TableClient source, String column) {
    this.source = source;
    this.column = column;
  }

  /**
   * Reads cookies from a table.
   *
   * @param source the table holding the cookies
   * @param column the string property holding the cookie JSON
   * @return the import
   */
  public static ResumptionCookieImport from(TableClient source, String column) {
    return new ResumptionCookieImport(
        Objects.requireNonNull(source, "source"), Objects.requireNonNull(column, "column"));
  }

  /**
   * A row that was not imported.
   *
   * @param partitionKey its PartitionKey
   * @param rowKey its RowKey
   * @param reason why
   */
  public record Skipped(String partitionKey, String rowKey, String reason) {}

  /**
   * The result.
   *
   * @param read rows read
   * @param imported references saved
   * @param skipped rows skipped, with reasons (at most 1,000 listed)
   * @param skippedCount how many rows were skipped in all
   */
  public record Report(long read, long imported, List<Skipped> skipped, long skippedCount) {
    /**
     * Freezes the list.
     *
     * @param read rows read
     * @param imported references saved
     * @param skipped rows skipped, with reasons (at most 1,000 listed)
     * @param skippedCount how many rows were skipped in all
     */
    public Report {
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * Imports every row.
   *
   * @param target where the references go
   * @return the report
   */
  public Report into(ReferenceRepository target) {
    long read = 0;
    long imported = 0;
    long skippedCount = 0;
    List<Skipped> skipped = new ArrayList<>();
    try {
      for (TableEntity row :
          source.listEntities(
              new ListEntitiesOptions().setTop(500), Duration.ofSeconds(30), Context.NONE)) {
        read++;
        Object value = row.getProperty(column);
        String reason = null;
        if (!(value instanceof String cookie)) {
          reason =
              value == null
                  ? "no column '" + column + "'"
                  : "column '" + column + "' is not a string";
        } else {
          try {
            ConversationReference ref = ResumptionCookies.read(cookie);
            target.save(ref);
            imported++;
          } catch (MalformedReferenceException e) {
            reason = e.getMessage();
          }
        }
        if (reason != null) {
          skippedCount++;
          if (skipped.size() < 1000) {
            skipped.add(new Skipped(row.getPartitionKey(), row.getRowKey(), reason));
          }
        }
      }
    } catch (HttpResponseException e) {
      throw new StoreException(
          "cannot read cookies from table '"
              + source.getTableName()
              + "': HTTP "
              + e.getResponse().getStatusCode(),
          e);
    }
    return new Report(read, imported, skipped, skippedCount);
  }
}
