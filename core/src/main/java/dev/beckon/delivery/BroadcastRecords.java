package dev.beckon.delivery;

import dev.beckon.activity.Activity;
import dev.beckon.codec.ActivityJson;
import dev.beckon.delivery.spi.AbstractDeliveryQueue;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Segment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The records a distributed broadcast keeps on its delivery queue, and their codec. Every record is
 * a delivery row (so it lives on every backend through the queue SPI), under a key of its
 * broadcast:
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>row</th></tr>
 *   <tr><td>{@code beckon.broadcast/<id>}</td><td>the head: the submission (cancelled at once, kept
 *       until purged)</td></tr>
 *   <tr><td>{@code beckon.broadcast/<id>/s/<i>}</td><td>segment task {@code i}: pending until its
 *       segment is listed, scheduled and counted; its last outcome is the checkpoint</td></tr>
 *   <tr><td>{@code beckon.broadcast/<id>/p/<i>/<n>}</td><td>page {@code n} of segment {@code i}:
 *       the references listed and the cursor after them (written once, before their
 *       deliveries)</td></tr>
 *   <tr><td>{@code beckon.broadcast/<id>/r/<reference key hash>}</td><td>the delivery to one
 *       reference, an ordinary delivery</td></tr>
 *   <tr><td>{@code beckon.broadcast/<id>/report}</td><td>the aggregated report, once
 *       finished</td></tr>
 * </table>
 *
 * <p>Everything read back is hostile: every parse here raises only {@link
 * IllegalArgumentException}, bounds every number and string, and validates reference keys.
 */
final class BroadcastRecords {

  static final String PREFIX = "beckon.broadcast/";
  static final String SEGMENT_TYPE = "beckon.broadcast.segment";
  static final String RECORD_TYPE = "beckon.broadcast.record";
  static final String CHANNEL = "beckon.broadcast";

  /** Records are due in year 9999 and cancelled at once: no worker ever claims one. */
  static final Instant FAR = Instant.parse("9999-01-01T00:00:00Z");

  static final int VERSION = 1;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final int MAX_CURSOR = 16 * 1024;

  /** A page record's JSON stays under this (the queue keeps up to 256 Ki characters). */
  static final int MAX_RECORD_CHARS = AbstractDeliveryQueue.MAX_ACTIVITY_CHARS - 4096;

  private BroadcastRecords() {}

  static String requireId(@Nullable String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("broadcast id must be 1-100 characters of [A-Za-z0-9._-]");
    }
    return id;
  }

  static String headKey(String id) {
    return PREFIX + id;
  }

  static String segmentKey(String id, int segment) {
    return PREFIX + id + "/s/" + segment;
  }

  static String pageKey(String id, int segment, long page) {
    return PREFIX + id + "/p/" + segment + "/" + page;
  }

  static String deliveryKey(String id, ReferenceKey to) {
    return PREFIX + id + "/r/" + to.hash();
  }

  static String reportKey(String id) {
    return PREFIX + id + "/report";
  }

  /** The conversation key every record of a broadcast is "addressed" to (never sent). */
  static ReferenceKey recordKey(String id) {
    return ReferenceKey.of(CHANNEL, id);
  }

  // ------------------------------------------------------------------ the submission

  /**
   * What was submitted: the same in the head and in every segment task.
   *
   * @param id the broadcast id
   * @param segments how many segment tasks
   * @param channel the query's channel filter, or null
   * @param tenant the query's tenant filter, or null
   * @param pageSize the listing page size
   * @param message the activity every reference gets
   */
  record Spec(
      String id,
      int segments,
      @Nullable String channel,
      @Nullable String tenant,
      int pageSize,
      Activity message) {

    ListQuery query(int segment) {
      return new ListQuery(channel, tenant, Segment.of(segment, segments), pageSize, null);
    }

    Activity toHead() {
      return Activity.builder(RECORD_TYPE).extra(fields("head", -1)).build();
    }

    Activity toSegment(int segment) {
      return Activity.builder(SEGMENT_TYPE).extra(fields("segment", segment)).build();
    }

    private Map<String, @Nullable Object> fields(String kind, int segment) {
      Map<String, @Nullable Object> m = new LinkedHashMap<>();
      m.put("v", VERSION);
      m.put("kind", kind);
      m.put("broadcast", id);
      if (segment >= 0) {
        m.put("segment", segment);
      }
      m.put("segments", segments);
      if (channel != null) {
        m.put("channel", channel);
      }
      if (tenant != null) {
        m.put("tenant", tenant);
      }
      m.put("pageSize", pageSize);
      m.put("message", ActivityJson.write(message));
      return m;
    }
  }

  /** A head record read back. */
  static Spec head(Activity a) {
    Map<String, @Nullable Object> m = record(a, RECORD_TYPE, "head");
    return spec(m);
  }

  /** A segment task read back: its spec and its segment number. */
  record SegmentTask(Spec spec, int segment) {}

  static SegmentTask segment(Activity a) {
    Map<String, @Nullable Object> m = record(a, SEGMENT_TYPE, "segment");
    Spec spec = spec(m);
    int segment = (int) number(m, "segment", 0, spec.segments() - 1);
    return new SegmentTask(spec, segment);
  }

  private static Spec spec(Map<String, @Nullable Object> m) {
    String id = requireId(text(m, "broadcast", 100));
    int segments = (int) number(m, "segments", 1, Segment.MAX_COUNT);
    String channel = optionalText(m, "channel", ReferenceKey.MAX_ID_LENGTH);
    String tenant = optionalText(m, "tenant", ReferenceKey.MAX_ID_LENGTH);
    int pageSize = (int) number(m, "pageSize", 1, ListQuery.MAX_PAGE_SIZE);
    String message = text(m, "message", AbstractDeliveryQueue.MAX_ACTIVITY_CHARS);
    Activity activity;
    try {
      activity = ActivityJson.read(message);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("its message is not an activity");
    }
    try {
      new ListQuery(channel, tenant, null, pageSize, null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("its query is invalid: " + e.getMessage());
    }
    return new Spec(id, segments, channel, tenant, pageSize, activity);
  }

  // ------------------------------------------------------------------ pages

  /**
   * One listed page of a segment: written once, before the deliveries of its references.
   *
   * @param refs the references listed
   * @param unreadable rows of the page that could not be read (never sent)
   * @param next the cursor after this page, or null when it was the segment's last
   */
  record PageRecord(List<ReferenceKey> refs, int unreadable, @Nullable String next) {
    PageRecord {
      refs = List.copyOf(refs);
    }

    long listed() {
      return refs.size() + (long) unreadable;
    }

    Activity toActivity(String id) {
      Map<String, @Nullable Object> m = new LinkedHashMap<>();
      m.put("v", VERSION);
      m.put("kind", "page");
      m.put("broadcast", id);
      List<Object> keys = new ArrayList<>(refs.size());
      for (ReferenceKey k : refs) {
        keys.add(List.of(k.channelId(), k.conversationId()));
      }
      m.put("refs", keys);
      m.put("unreadable", unreadable);
      m.put("next", next);
      return Activity.builder(RECORD_TYPE).extra(m).build();
    }
  }

  static PageRecord page(Activity a, String id) {
    Map<String, @Nullable Object> m = record(a, RECORD_TYPE, "page");
    if (!id.equals(m.get("broadcast"))) {
      throw new IllegalArgumentException("it belongs to another broadcast");
    }
    Object refs = m.get("refs");
    if (!(refs instanceof List<?> list) || list.size() > ListQuery.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "its refs are not a list of at most " + ListQuery.MAX_PAGE_SIZE);
    }
    List<ReferenceKey> keys = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof List<?> pair)
          || pair.size() != 2
          || !(pair.get(0) instanceof String channel)
          || !(pair.get(1) instanceof String conversation)) {
        throw new IllegalArgumentException("a ref is not a [channel, conversation] pair");
      }
      keys.add(ReferenceKey.of(channel, conversation));
    }
    int unreadable = (int) number(m, "unreadable", 0, ListQuery.MAX_PAGE_SIZE);
    String next = optionalText(m, "next", MAX_CURSOR);
    if (next != null && next.isBlank()) {
      throw new IllegalArgumentException("its cursor is blank");
    }
    return new PageRecord(keys, unreadable, next);
  }

  // ------------------------------------------------------------------ counts

  /**
   * Counts of a segment's (or a broadcast's) references.
   *
   * @param listed references listed (readable or not)
   * @param delivered deliveries DELIVERED
   * @param gone GONE
   * @param failed FAILED (an unreadable delivery row too)
   * @param unknown UNKNOWN
   * @param dead DEAD
   * @param cancelled CANCELLED
   * @param unreadable listed rows that could not be read (never sent)
   * @param missing deliveries not found when counted (purged)
   */
  record Tally(
      long listed,
      long delivered,
      long gone,
      long failed,
      long unknown,
      long dead,
      long cancelled,
      long unreadable,
      long missing) {

    static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0);

    long accounted() {
      return delivered + gone + failed + unknown + dead + cancelled + unreadable + missing;
    }

    Tally plus(Tally o) {
      return new Tally(
          listed + o.listed,
          delivered + o.delivered,
          gone + o.gone,
          failed + o.failed,
          unknown + o.unknown,
          dead + o.dead,
          cancelled + o.cancelled,
          unreadable + o.unreadable,
          missing + o.missing);
    }

    Tally withListed(long more) {
      return new Tally(
          listed + more, delivered, gone, failed, unknown, dead, cancelled, unreadable, missing);
    }

    Tally with(DeliveryState state) {
      return switch (state) {
        case DELIVERED -> plus(new Tally(0, 1, 0, 0, 0, 0, 0, 0, 0));
        case GONE -> plus(new Tally(0, 0, 1, 0, 0, 0, 0, 0, 0));
        case FAILED -> plus(new Tally(0, 0, 0, 1, 0, 0, 0, 0, 0));
        case UNKNOWN -> plus(new Tally(0, 0, 0, 0, 1, 0, 0, 0, 0));
        case DEAD -> plus(new Tally(0, 0, 0, 0, 0, 1, 0, 0, 0));
        case CANCELLED -> plus(new Tally(0, 0, 0, 0, 0, 0, 1, 0, 0));
        case PENDING -> throw new IllegalArgumentException("a pending delivery is not counted");
      };
    }

    Tally withUnreadable(long n) {
      return plus(new Tally(0, 0, 0, 0, 0, 0, 0, n, 0));
    }

    Tally withMissing() {
      return plus(new Tally(0, 0, 0, 0, 0, 0, 0, 0, 1));
    }
  }

  /**
   * A segment task's checkpoint, kept as its last outcome (at most 500 characters): how many page
   * records are written and fully scheduled, how many of them are counted (every delivery final),
   * and the counts: {@code listed} over the written pages, the states over the counted ones.
   *
   * @param pages page records 0..pages-1 exist and their deliveries are scheduled
   * @param counted pages 0..counted-1 are counted into {@code tally}
   * @param tally the counts
   * @param done whether the segment finished
   */
  record Checkpoint(long pages, long counted, Tally tally, boolean done) {
    static final Checkpoint START = new Checkpoint(0, 0, Tally.ZERO, false);
    private static final Pattern TEXT =
        Pattern.compile(
            "segment (done|running) p=(\\d{1,12}) c=(\\d{1,12}) l=(\\d{1,15}) d=(\\d{1,15})"
                + " g=(\\d{1,15}) f=(\\d{1,15}) u=(\\d{1,15}) x=(\\d{1,15}) k=(\\d{1,15})"
                + " r=(\\d{1,15}) m=(\\d{1,15})");

    String text() {
      Tally t = tally;
      return String.format(
          Locale.ROOT,
          "segment %s p=%d c=%d l=%d d=%d g=%d f=%d u=%d x=%d k=%d r=%d m=%d",
          done ? "done" : "running",
          pages,
          counted,
          t.listed(),
          t.delivered(),
          t.gone(),
          t.failed(),
          t.unknown(),
          t.dead(),
          t.cancelled(),
          t.unreadable(),
          t.missing());
    }

    /**
     * Reads a checkpoint back; anything malformed or inconsistent reads as {@link #START} (the
     * segment is then listed again from its first page: its deliveries are scheduled once per key,
     * so nothing is sent twice).
     */
    static Checkpoint parse(@Nullable String text) {
      if (text == null || text.length() > 500) {
        return START;
      }
      var m = TEXT.matcher(text);
      if (!m.matches()) {
        return START;
      }
      long[] v = new long[11];
      for (int i = 0; i < 11; i++) {
        v[i] = Long.parseLong(m.group(i + 2));
      }
      Tally t = new Tally(v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
      if (v[1] > v[0] || t.accounted() > t.listed()) {
        return START;
      }
      return new Checkpoint(v[0], v[1], t, "done".equals(m.group(1)));
    }
  }

  // ------------------------------------------------------------------ the stored report

  static Activity toActivity(DeliveryBroadcastReport r) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("kind", "report");
    m.put("broadcast", r.broadcastId());
    m.put("segments", r.segments());
    m.put("segmentsFailed", r.segmentsFailed());
    m.put("listed", r.listed());
    m.put("delivered", r.delivered());
    m.put("gone", r.gone());
    m.put("failed", r.failed());
    m.put("unknown", r.unknown());
    m.put("dead", r.dead());
    m.put("cancelled", r.cancelled());
    m.put("unreadable", r.unreadable());
    m.put("missing", r.missing());
    return Activity.builder(RECORD_TYPE).extra(m).build();
  }

  static DeliveryBroadcastReport report(Activity a, String id) {
    Map<String, @Nullable Object> m = record(a, RECORD_TYPE, "report");
    if (!id.equals(m.get("broadcast"))) {
      throw new IllegalArgumentException("it belongs to another broadcast");
    }
    int segments = (int) number(m, "segments", 1, Segment.MAX_COUNT);
    int failedSegments = (int) number(m, "segmentsFailed", 0, segments);
    long max = Long.MAX_VALUE / 16;
    try {
      return new DeliveryBroadcastReport(
          id,
          segments,
          segments - failedSegments,
          failedSegments,
          number(m, "listed", 0, max),
          0,
          number(m, "delivered", 0, max),
          number(m, "gone", 0, max),
          number(m, "failed", 0, max),
          number(m, "unknown", 0, max),
          number(m, "dead", 0, max),
          number(m, "cancelled", 0, max),
          number(m, "unreadable", 0, max),
          number(m, "missing", 0, max));
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("its counts do not add up");
    }
  }

  // ------------------------------------------------------------------ reading fields

  private static Map<String, @Nullable Object> record(Activity a, String type, String kind) {
    Objects.requireNonNull(a, "activity");
    if (!type.equals(a.type())) {
      throw new IllegalArgumentException("it is not a " + type);
    }
    Map<String, @Nullable Object> m = a.extra();
    Object v = m.get("v");
    if (!(v instanceof Integer i) || i != VERSION) {
      throw new IllegalArgumentException("it is not of version " + VERSION);
    }
    if (!kind.equals(m.get("kind"))) {
      throw new IllegalArgumentException("it is not a " + kind + " record");
    }
    return m;
  }

  private static long number(Map<String, @Nullable Object> m, String field, long min, long max) {
    Object o = m.get(field);
    long n;
    if (o instanceof Integer i) {
      n = i;
    } else if (o instanceof Long l) {
      n = l;
    } else {
      throw new IllegalArgumentException("its " + field + " is not a whole number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("its " + field + " is not between " + min + " and " + max);
    }
    return n;
  }

  private static String text(Map<String, @Nullable Object> m, String field, int max) {
    String s = optionalText(m, field, max);
    if (s == null) {
      throw new IllegalArgumentException("its " + field + " is missing");
    }
    return s;
  }

  private static @Nullable String optionalText(
      Map<String, @Nullable Object> m, String field, int max) {
    Object o = m.get(field);
    if (o == null) {
      return null;
    }
    if (!(o instanceof String s) || s.length() > max) {
      throw new IllegalArgumentException(
          "its " + field + " is not a text of at most " + max + " characters");
    }
    return s;
  }
}
