package dev.beckon.delivery.sqs;

import dev.beckon.delivery.spi.QueueRow;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the queue writes to and reads back from DynamoDB and SQS: the state row's attributes and the
 * wake-up message's body. Everything read back is hostile: these parses never throw, bound what
 * they keep, and leave the validation of a row's content to the base class (which settles a bad row
 * {@code FAILED}).
 */
final class Wire {

  /** The row key: the delivery key's SHA-256, 64 hex characters. */
  static final String PK = "k";

  static final String KEY = "key";
  static final String CHANNEL = "ch";
  static final String CONVERSATION = "conv";
  static final String PAYLOAD = "act";
  static final String STATE = "st";
  static final String ATTEMPTS = "att";
  static final String NOT_BEFORE = "nb";
  static final String FIRST_DUE = "fd";
  static final String CREATED = "ca";
  static final String UPDATED = "ua";
  static final String TOKEN = "tok";
  static final String LEASE_UNTIL = "lu";
  static final String OUTCOME = "out";
  static final String ACTIVITY_ID = "aid";

  /** The receipt handle of the SQS message the claim holding the row received. */
  static final String RECEIPT = "rh";

  /** The longest message body read: a body is a key hash, a longer one is hostile. */
  static final int MAX_BODY = 128;

  /** The longest receipt handle kept (SQS's are up to 1,024 characters). */
  static final int MAX_RECEIPT = 2048;

  /** The longest number text parsed (a long has at most 20 characters). */
  private static final int MAX_NUMBER = 24;

  private static final Pattern KEY_HASH = Pattern.compile("[0-9a-f]{64}");

  /** The prefix of a wake-up message body: a version, so that the format can change. */
  static final String BODY_PREFIX = "beckon.d1:";

  private Wire() {}

  /** The body of a row's wake-up message. */
  static String body(String keyHash) {
    return BODY_PREFIX + keyHash;
  }

  /**
   * The key hash a message body names, or empty for a body that is not one of ours (too long, a
   * wrong prefix, not 64 lowercase hex characters).
   */
  static Optional<String> keyHashOf(@Nullable String body) {
    if (body == null || body.length() > MAX_BODY || !body.startsWith(BODY_PREFIX)) {
      return Optional.empty();
    }
    String hash = body.substring(BODY_PREFIX.length());
    return KEY_HASH.matcher(hash).matches() ? Optional.of(hash) : Optional.empty();
  }

  /** A message attribute read as epoch ms (SentTimestamp), or empty when absent or not a number. */
  static Optional<Long> millisOf(@Nullable String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_NUMBER) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The receipt handle stored in a row, or null when absent, not a string, empty or too long. */
  static @Nullable String receiptOf(Map<String, AttributeValue> item) {
    String r = text(item, RECEIPT);
    return r == null || r.isEmpty() || r.length() > MAX_RECEIPT ? null : r;
  }

  /** The item of a new row. */
  static Map<String, AttributeValue> item(QueueRow row) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put(PK, AttributeValue.fromS(row.keyHash()));
    m.put(KEY, AttributeValue.fromS(row.deliveryKey()));
    m.put(CHANNEL, AttributeValue.fromS(row.channelId()));
    m.put(CONVERSATION, AttributeValue.fromS(row.conversationId()));
    m.put(PAYLOAD, AttributeValue.fromS(row.payload()));
    m.put(STATE, AttributeValue.fromS(row.state()));
    m.put(ATTEMPTS, number(row.attempts()));
    m.put(NOT_BEFORE, number(row.notBefore()));
    m.put(FIRST_DUE, number(row.firstDue()));
    m.put(CREATED, number(row.createdAt()));
    m.put(UPDATED, number(row.updatedAt()));
    if (row.leaseToken() != null) {
      m.put(TOKEN, AttributeValue.fromS(row.leaseToken()));
      m.put(LEASE_UNTIL, number(row.leaseUntil()));
    }
    if (row.lastOutcome() != null) {
      m.put(OUTCOME, AttributeValue.fromS(row.lastOutcome()));
    }
    if (row.activityId() != null) {
      m.put(ACTIVITY_ID, AttributeValue.fromS(row.activityId()));
    }
    return m;
  }

  /**
   * A stored item as a row, whatever it holds: a missing or mistyped text is {@code ""} (or null
   * where the row allows it), a missing or unreadable number is 0. The base class rejects what is
   * not a valid delivery.
   */
  static QueueRow row(Map<String, AttributeValue> item) {
    return new QueueRow(
        orEmpty(text(item, PK)),
        orEmpty(text(item, KEY)),
        orEmpty(text(item, CHANNEL)),
        orEmpty(text(item, CONVERSATION)),
        orEmpty(text(item, PAYLOAD)),
        orEmpty(text(item, STATE)),
        (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, numberOf(item, ATTEMPTS))),
        numberOf(item, NOT_BEFORE),
        numberOf(item, FIRST_DUE),
        numberOf(item, CREATED),
        numberOf(item, UPDATED),
        text(item, TOKEN),
        numberOf(item, LEASE_UNTIL),
        text(item, OUTCOME),
        text(item, ACTIVITY_ID));
  }

  static AttributeValue number(long n) {
    return AttributeValue.fromN(Long.toString(n));
  }

  private static @Nullable String text(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static long numberOf(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    String n = v == null ? null : v.n();
    if (n == null || n.length() > MAX_NUMBER) {
      return 0;
    }
    try {
      return Long.parseLong(n);
    } catch (NumberFormatException e) {
      try {
        // DynamoDB numbers may be written as decimals or exponents by other tools
        double d = Double.parseDouble(n);
        return Double.isNaN(d) ? 0 : (long) d;
      } catch (NumberFormatException e2) {
        return 0;
      }
    }
  }
}
