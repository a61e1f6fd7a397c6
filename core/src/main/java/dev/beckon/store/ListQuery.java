package dev.beckon.store;

import org.jspecify.annotations.Nullable;

/**
 * What to list: optionally one channel, optionally one tenant (Teams), optionally one segment, a
 * page size, and where to continue.
 *
 * <p>Immutable; build with {@link #all()} or {@link #channel(String)} and the {@code with…}
 * methods:
 *
 * <pre>{@code
 * ListQuery q = ListQuery.channel("msteams").withTenant(tenantId).withPageSize(500);
 * }</pre>
 *
 * @param channelId only references of this channel, or {@code null} for every channel
 * @param tenantId only references whose {@code conversation.tenantId} is this, or {@code null}
 * @param segment only this segment, or {@code null} for all
 * @param pageSize the most items a page holds, 1 to {@value #MAX_PAGE_SIZE}
 * @param cursor continue after this opaque cursor from {@link Page#next()}, or {@code null} to
 *     start
 */
public record ListQuery(
    @Nullable String channelId,
    @Nullable String tenantId,
    @Nullable Segment segment,
    int pageSize,
    @Nullable String cursor) {

  /** Default page size. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  /** Largest page size. */
  public static final int MAX_PAGE_SIZE = 1000;

  /**
   * Validates the page size and filters.
   *
   * @param channelId only references of this channel, or {@code null} for every channel
   * @param tenantId only references whose {@code conversation.tenantId} is this, or {@code null}
   * @param segment only this segment, or {@code null} for all
   * @param pageSize the most items a page holds, 1 to {@value #MAX_PAGE_SIZE}
   * @param cursor continue after this opaque cursor from {@link Page#next()}, or {@code null} to
   *     start
   */
  public ListQuery {
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "pageSize must be between 1 and " + MAX_PAGE_SIZE + " but was " + pageSize);
    }
    if (channelId != null && channelId.isBlank()) {
      throw new IllegalArgumentException(
          "channelId filter must not be blank (use null for all channels)");
    }
    if (tenantId != null && tenantId.isBlank()) {
      throw new IllegalArgumentException(
          "tenantId filter must not be blank (use null for all tenants)");
    }
    if (cursor != null && cursor.isBlank()) {
      throw new IllegalArgumentException("cursor must not be blank (use null to start)");
    }
  }

  /**
   * Every reference in the store.
   *
   * @return the query, first page
   */
  public static ListQuery all() {
    return new ListQuery(null, null, null, DEFAULT_PAGE_SIZE, null);
  }

  /**
   * Every reference of one channel.
   *
   * @param channelId e.g. {@code msteams}
   * @return the query, first page
   */
  public static ListQuery channel(String channelId) {
    return new ListQuery(channelId, null, null, DEFAULT_PAGE_SIZE, null);
  }

  /**
   * Restricts to one tenant.
   *
   * @param tenant the tenant id, or {@code null} for all
   * @return the copy
   */
  public ListQuery withTenant(@Nullable String tenant) {
    return new ListQuery(channelId, tenant, segment, pageSize, cursor);
  }

  /**
   * Restricts to one segment.
   *
   * @param value the segment, or {@code null} for all
   * @return the copy
   */
  public ListQuery withSegment(@Nullable Segment value) {
    return new ListQuery(channelId, tenantId, value, pageSize, cursor);
  }

  /**
   * Sets the page size.
   *
   * @param size 1 to {@value #MAX_PAGE_SIZE}
   * @return the copy
   */
  public ListQuery withPageSize(int size) {
    return new ListQuery(channelId, tenantId, segment, size, cursor);
  }

  /**
   * Continues after a cursor.
   *
   * @param value a cursor from {@link Page#next()}, or {@code null} to start over
   * @return the copy
   */
  public ListQuery withCursor(@Nullable String value) {
    return new ListQuery(channelId, tenantId, segment, pageSize, value);
  }
}
