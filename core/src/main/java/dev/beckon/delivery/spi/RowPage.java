package dev.beckon.delivery.spi;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AbstractDeliveryQueue#listRows} returns: the rows found and where the listing goes
 * on.
 *
 * @param rows the rows, in the backend's listing order, at most the limit asked for
 * @param after the key hash to go on after (the last row examined, which may not be in {@code rows}
 *     when a filter left it out), or {@code null} when the listing reached the end
 */
public record RowPage(List<QueueRow> rows, @Nullable String after) {

  /**
   * Copies the rows.
   *
   * @param rows the rows
   * @param after where to go on, or {@code null} at the end
   */
  public RowPage {
    rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
  }
}
