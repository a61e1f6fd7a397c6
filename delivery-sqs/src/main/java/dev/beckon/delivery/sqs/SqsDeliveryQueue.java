package dev.beckon.delivery.sqs;

import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.spi.AbstractDeliveryQueue;
import dev.beckon.delivery.spi.Claim;
import dev.beckon.delivery.spi.ClaimedRow;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.delivery.spi.RowPage;
import dev.beckon.delivery.spi.RowUpdate;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.StoreErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A {@link dev.beckon.delivery.DeliveryQueue} on Amazon SQS, with each delivery's state in a
 * DynamoDB table: for applications whose references are in DynamoDB already.
 *
 * <pre>{@code
 * SqsDeliveryQueue queue =
 *     SqsDeliveryQueue.builder(sqsClient, dynamoDbClient)
 *         .queueName("beckon-deliveries")      // the default
 *         .tableName("beckon_deliveries")      // the default
 *         .build();
 * queue.createTable();   // once, at deployment (or create both with your IaC)
 * queue.createQueue();
 * }</pre>
 *
 * <p><b>How it works.</b> A queue has no lookup by key, so the truth is a row per delivery in the
 * DynamoDB table (key {@code k}: the delivery key's SHA-256), changed only by conditional writes
 * exactly as {@link AbstractDeliveryQueue}'s primitives describe. SQS carries one wake-up message
 * per delivery (its body names the row) and the lease:
 *
 * <ul>
 *   <li>{@code schedule}: the message is sent first (delayed until {@code notBefore}, at most 15
 *       minutes), then the row is put if absent; a message whose row is missing is dropped later.
 *   <li>{@code claim}: receive with a visibility timeout of the lease; for each message read the
 *       row and, when it is pending, due and not held by a live lease, take it with a conditional
 *       update (token, lease end, the receipt handle). A message whose row is not due yet is hidden
 *       again until it is (delays over 15 minutes re-delay: at most 11 hours at a time); one whose
 *       row is held is hidden until the lease ends; one whose row is final or missing is deleted
 *       (after a short grace, {@value #GRACE_SECONDS} s from its sending, so a wake-up never
 *       outruns its own row).
 *   <li>{@code complete}: conditional update on the token, then the message is deleted; {@code
 *       reschedule} and {@code release}: conditional update, then the message is hidden until the
 *       new due time. When an SQS call after the update fails, nothing is lost: the message comes
 *       back when its visibility ends and is handled as above.
 *   <li>{@code retry}: a new message, then the conditional update; {@code cancel}: the update (the
 *       message is dropped when it next comes).
 *   <li>{@code list}: a scan of the table in DynamoDB's order, resumed from the last key.
 *   <li>{@code purge}: a scan of the table for final rows changed before the cut-off, each deleted
 *       with a condition. It reads the whole table: run it rarely.
 * </ul>
 *
 * <p><b>What SQS does not give.</b> Claims are not globally oldest first: SQS hands out messages in
 * its own order (within one claim the rows are sorted by due time). Due times and leases have SQS's
 * resolution of a second (SQS wakes a message at or up to a second before its time; the row, on the
 * queue's clock, decides, so nothing is claimed early). A claim is "interrupted" when the row was
 * held by an expired claim; SQS's {@code ApproximateReceiveCount} is not used, because re-delays
 * and duplicate wake-ups count there too. Keep the queue's message retention at its maximum (14
 * days, what {@link #createQueue()} sets); wake-ups older than a day are sent afresh when
 * re-delayed.
 *
 * <p><b>Hostile input.</b> Message bodies longer than {@value Wire#MAX_BODY} characters or not of
 * this queue's form are deleted and logged, never parsed further; rows are read into the base
 * class's checks, which settle a bad row {@code FAILED}; receipt handles are kept up to {@value
 * Wire#MAX_RECEIPT} characters. Every request has the API call timeout of {@link
 * Builder#requestTimeout} unless the client has its own. Clients are never closed. Thread-safe.
 */
public final class SqsDeliveryQueue extends AbstractDeliveryQueue {

  /** The default table name. */
  public static final String DEFAULT_TABLE_NAME = "beckon_deliveries";

  /** The default queue name. */
  public static final String DEFAULT_QUEUE_NAME = "beckon-deliveries";

  /** The default API call timeout of each request. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How long a wake-up whose row is final or missing is hidden at its first receive, in seconds.
   */
  public static final int GRACE_SECONDS = 30;

  private static final Logger LOG = LoggerFactory.getLogger(SqsDeliveryQueue.class);
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
  private static final int MAX_DELAY_SECONDS = 15 * 60;
  private static final int MAX_HIDE_SECONDS = 11 * 60 * 60;
  private static final long REFRESH_AGE_MILLIS = Duration.ofDays(1).toMillis();
  private static final int RECEIVE_MAX = 10;
  private static final int LIST_SCANS = 4;
  private static final String PENDING = DeliveryState.PENDING.name();
  private static final String FREE =
      "(attribute_not_exists(#tok) OR attribute_not_exists(#lu) OR #lu <= :now)";

  private final SqsClient sqs;
  private final DynamoDbClient dynamo;
  private final String tableName;
  private final String queueName;
  private final @Nullable AwsRequestOverrideConfiguration timeout;
  private final Duration createTableTimeout;
  private volatile @Nullable String queueUrl;

  private SqsDeliveryQueue(Builder b) {
    super(b.clock);
    this.sqs = b.sqs;
    this.dynamo = b.dynamo;
    this.tableName = b.tableName;
    this.queueName = b.queueName;
    this.queueUrl = b.queueUrl;
    this.createTableTimeout = b.createTableTimeout;
    Duration t = b.requestTimeout;
    this.timeout =
        AwsRequestOverrideConfiguration.builder()
            .apiCallTimeout(t == null ? DEFAULT_REQUEST_TIMEOUT : t)
            .build();
  }

  /**
   * Starts a builder.
   *
   * @param sqs your SQS client; never closed by the queue
   * @param dynamo your DynamoDB client, for the state table; never closed by the queue
   * @return the builder
   */
  public static Builder builder(SqsClient sqs, DynamoDbClient dynamo) {
    return new Builder(sqs, dynamo);
  }

  /**
   * The state table's name.
   *
   * @return the table name
   */
  public String tableName() {
    return tableName;
  }

  /**
   * The SQS queue's name.
   *
   * @return the queue name
   */
  public String queueName() {
    return queueName;
  }

  // ------------------------------------------------------------------ setup

  /**
   * Creates the state table if it does not exist (on demand, string hash key {@code k}) and waits
   * until it is {@code ACTIVE}. An existing table is only waited for.
   *
   * @return {@code true} when the table was created, {@code false} when it existed
   * @throws StoreException when it cannot be created or does not become active in time
   */
  @SuppressWarnings("unchecked") // the SDK's varargs of builder consumers
  public boolean createTable() {
    boolean created = true;
    try {
      dynamo.createTable(
          r ->
              r.tableName(tableName)
                  .attributeDefinitions(
                      a -> a.attributeName(Wire.PK).attributeType(ScalarAttributeType.S))
                  .keySchema(k -> k.attributeName(Wire.PK).keyType(KeyType.HASH))
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .overrideConfiguration(timeout));
      LOG.info("Created DynamoDB table {} (on demand) for deliveries", tableName);
    } catch (ResourceInUseException e) {
      created = false;
    } catch (SdkException e) {
      throw StoreErrors.failure(this, "CreateTable", e);
    }
    long deadline = System.nanoTime() + createTableTimeout.toNanos();
    TableStatus status;
    while ((status =
            db(
                    "DescribeTable",
                    () ->
                        dynamo.describeTable(
                            r -> r.tableName(tableName).overrideConfiguration(timeout)))
                .table()
                .tableStatus())
        != TableStatus.ACTIVE) {
      if (System.nanoTime() > deadline) {
        throw StoreErrors.failure(
            this, "CreateTable", "still " + status + " after the timeout", null);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw StoreErrors.failure(this, "CreateTable", "interrupted", e);
      }
    }
    return created;
  }

  /**
   * Creates the SQS queue if it does not exist (a standard queue, message retention 14 days) and
   * remembers its URL. SQS answers an existing queue of the same name and attributes with its URL.
   *
   * @return the queue's URL
   * @throws StoreException when it cannot be created (for example, it exists with other attributes)
   */
  public String createQueue() {
    String url =
        mq(
                "CreateQueue",
                () ->
                    sqs.createQueue(
                        r ->
                            r.queueName(queueName)
                                .attributes(
                                    Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600"))
                                .overrideConfiguration(timeout)))
            .queueUrl();
    queueUrl = url;
    return url;
  }

  // ------------------------------------------------------------------ the primitives

  @Override
  protected boolean insert(QueueRow row) {
    if (read(row.keyHash()).isPresent()) {
      return false;
    }
    // the wake-up first: a crash after it leaves a message without a row (dropped later), never
    // a row without a message (stuck)
    send(row.keyHash(), row.notBefore());
    try {
      dynamo.putItem(
          r ->
              r.tableName(tableName)
                  .item(Wire.item(row))
                  .conditionExpression("attribute_not_exists(#k)")
                  .expressionAttributeNames(Map.of("#k", Wire.PK))
                  .overrideConfiguration(timeout));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false; // a racing schedule won; its message and ours both name the row
    } catch (ResourceNotFoundException e) {
      throw missingTable("PutItem", e);
    } catch (SdkException e) {
      throw StoreErrors.failure(this, "PutItem", e);
    }
  }

  @Override
  protected Optional<QueueRow> read(String keyHash) {
    Map<String, AttributeValue> item = readItem(keyHash);
    return item.isEmpty() ? Optional.empty() : Optional.of(Wire.row(item));
  }

  private Map<String, AttributeValue> readItem(String keyHash) {
    return db(
            "GetItem",
            () ->
                dynamo.getItem(
                    r ->
                        r.tableName(tableName)
                            .key(Map.of(Wire.PK, AttributeValue.fromS(keyHash)))
                            .consistentRead(true)
                            .overrideConfiguration(timeout)))
        .item();
  }

  @Override
  protected List<ClaimedRow> claimRows(Claim claim) {
    String url = url();
    int visibility = secondsUp(claim.leaseUntilMillis() - claim.nowMillis());
    List<ClaimedRow> out = new ArrayList<>();
    int rounds = claim.limit() / RECEIVE_MAX + 3;
    for (int round = 0; round < rounds && out.size() < claim.limit(); round++) {
      int want = Math.min(RECEIVE_MAX, claim.limit() - out.size());
      List<Message> messages =
          mq(
                  "ReceiveMessage",
                  () ->
                      sqs.receiveMessage(
                          r ->
                              r.queueUrl(url)
                                  .maxNumberOfMessages(want)
                                  .visibilityTimeout(visibility)
                                  .waitTimeSeconds(0)
                                  .messageSystemAttributeNames(
                                      MessageSystemAttributeName.SENT_TIMESTAMP,
                                      MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                                  .overrideConfiguration(timeout)))
              .messages();
      if (messages.isEmpty()) {
        break;
      }
      for (Message m : messages) {
        if (out.size() == claim.limit()) {
          // more than asked (a misbehaving endpoint): back to the queue at once
          hide(url, m.receiptHandle(), 0);
          continue;
        }
        try {
          take(url, m, claim).ifPresent(out::add);
        } catch (StoreException e) {
          if (out.isEmpty()) {
            throw e;
          }
          // what is claimed stays claimed; this message comes back when its visibility ends
          LOG.warn("{}: a wake-up could not be handled: {}", this, e.getMessage());
        }
      }
    }
    out.sort(Comparator.comparingLong(c -> c.row().notBefore()));
    return out;
  }

  /** Handles one received message: claims its row, or hides or deletes the message. */
  private Optional<ClaimedRow> take(String url, Message m, Claim claim) {
    String receipt = m.receiptHandle();
    if (receipt == null || receipt.isEmpty() || receipt.length() > Wire.MAX_RECEIPT) {
      LOG.warn("{}: a message with an unusable receipt handle was ignored", this);
      return Optional.empty();
    }
    Optional<String> hash = Wire.keyHashOf(m.body());
    if (hash.isEmpty()) {
      LOG.warn(
          "{}: deleted a message that is not a delivery wake-up (message id {})",
          this,
          bounded(m.messageId()));
      delete(url, receipt);
      return Optional.empty();
    }
    long now = claim.nowMillis();
    Map<MessageSystemAttributeName, String> attributes = m.attributes();
    long sent = Wire.millisOf(attributes.get(MessageSystemAttributeName.SENT_TIMESTAMP)).orElse(0L);
    long receives =
        Wire.millisOf(attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
            .orElse(Long.MAX_VALUE);
    Map<String, AttributeValue> item = readItem(hash.get());
    @Nullable QueueRow row = item.isEmpty() ? null : Wire.row(item);
    if (row == null || !PENDING.equals(row.state())) {
      if (receives <= 1) {
        // the first sight of a wake-up: its row may be on its way (schedule, retry)
        hide(url, receipt, GRACE_SECONDS);
      } else {
        delete(url, receipt);
      }
      return Optional.empty();
    }
    if (row.leaseToken() != null && row.leaseUntil() > now) {
      hide(url, receipt, secondsDown(row.leaseUntil() - now));
      return Optional.empty();
    }
    if (row.notBefore() > now) {
      redelay(url, receipt, hash.get(), row.notBefore(), now, now - sent);
      return Optional.empty();
    }
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":p", AttributeValue.fromS(PENDING));
    values.put(":now", Wire.number(now));
    values.put(":tok", AttributeValue.fromS(claim.token()));
    values.put(":until", Wire.number(claim.leaseUntilMillis()));
    values.put(":rh", AttributeValue.fromS(receipt));
    UpdateItemResponse old;
    try {
      old =
          dynamo.updateItem(
              r ->
                  r.tableName(tableName)
                      .key(Map.of(Wire.PK, AttributeValue.fromS(hash.get())))
                      .updateExpression("SET #tok = :tok, #lu = :until, #rh = :rh")
                      .conditionExpression(
                          "#st = :p AND (attribute_not_exists(#nb) OR #nb <= :now) AND " + FREE)
                      .expressionAttributeNames(
                          Map.of(
                              "#tok", Wire.TOKEN,
                              "#lu", Wire.LEASE_UNTIL,
                              "#rh", Wire.RECEIPT,
                              "#st", Wire.STATE,
                              "#nb", Wire.NOT_BEFORE))
                      .expressionAttributeValues(values)
                      .returnValues(ReturnValue.ALL_OLD)
                      .overrideConfiguration(timeout));
    } catch (ConditionalCheckFailedException e) {
      // changed since the read (another claim, a cancel): the message comes back after the lease
      return Optional.empty();
    } catch (ResourceNotFoundException e) {
      throw missingTable("UpdateItem", e);
    } catch (SdkException e) {
      throw StoreErrors.failure(this, "UpdateItem", e);
    }
    QueueRow before = old.hasAttributes() ? Wire.row(old.attributes()) : row;
    return Optional.of(new ClaimedRow(before, claim.token(), before.leaseToken() != null));
  }

  @Override
  protected boolean update(RowUpdate change) {
    String url = url();
    boolean toPending = PENDING.equals(change.state());
    if (change.expectedToken() == null && toPending) {
      // retry: only when it can apply, and the wake-up before the row (see insert)
      Optional<QueueRow> now = read(change.keyHash());
      if (now.isEmpty() || !change.appliesTo(now.get())) {
        return false;
      }
      send(change.keyHash(), change.notBefore());
    }
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    StringBuilder set = new StringBuilder("SET #st = :st, #nb = :nb, #ua = :now");
    names.put("#st", Wire.STATE);
    names.put("#nb", Wire.NOT_BEFORE);
    names.put("#ua", Wire.UPDATED);
    names.put("#tok", Wire.TOKEN);
    names.put("#lu", Wire.LEASE_UNTIL);
    names.put("#rh", Wire.RECEIPT);
    values.put(":st", AttributeValue.fromS(change.state()));
    values.put(":nb", Wire.number(change.notBefore()));
    values.put(":now", Wire.number(change.nowMillis()));
    if (change.attempts() != RowUpdate.KEEP_ATTEMPTS) {
      set.append(", #att = :att");
      names.put("#att", Wire.ATTEMPTS);
      values.put(":att", Wire.number(change.attempts()));
    }
    if (change.lastOutcome() != null) {
      set.append(", #out = :out");
      names.put("#out", Wire.OUTCOME);
      values.put(":out", AttributeValue.fromS(change.lastOutcome()));
    }
    if (change.activityId() != null) {
      set.append(", #aid = :aid");
      names.put("#aid", Wire.ACTIVITY_ID);
      values.put(":aid", AttributeValue.fromS(change.activityId()));
    }
    String condition;
    if (change.expectedToken() != null) {
      condition = "#tok = :expected";
      values.put(":expected", AttributeValue.fromS(change.expectedToken()));
    } else {
      List<String> in = new ArrayList<>();
      for (int i = 0; i < change.expectedStates().size(); i++) {
        in.add(":s" + i);
        values.put(":s" + i, AttributeValue.fromS(change.expectedStates().get(i)));
      }
      condition = "#st IN (" + String.join(", ", in) + ") AND " + FREE;
    }
    String expression = set + " REMOVE #tok, #lu, #rh";
    UpdateItemResponse old;
    try {
      old =
          dynamo.updateItem(
              r ->
                  r.tableName(tableName)
                      .key(Map.of(Wire.PK, AttributeValue.fromS(change.keyHash())))
                      .updateExpression(expression)
                      .conditionExpression("attribute_exists(#k) AND " + condition)
                      .expressionAttributeNames(withKey(names))
                      .expressionAttributeValues(values)
                      .returnValues(ReturnValue.ALL_OLD)
                      .overrideConfiguration(timeout));
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (ResourceNotFoundException e) {
      throw missingTable("UpdateItem", e);
    } catch (SdkException e) {
      throw StoreErrors.failure(this, "UpdateItem", e);
    }
    String receipt = old.hasAttributes() ? Wire.receiptOf(old.attributes()) : null;
    if (change.expectedToken() != null && receipt != null) {
      if (toPending) {
        hide(
            url,
            receipt,
            Math.min(secondsDown(change.notBefore() - change.nowMillis()), MAX_HIDE_SECONDS));
      } else {
        delete(url, receipt);
      }
    }
    return true;
  }

  @Override
  protected int purgeRows(long beforeMillis, int limit) {
    int removed = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page =
          db(
              "Scan",
              () ->
                  dynamo.scan(
                      r ->
                          r.tableName(tableName)
                              .consistentRead(true)
                              .limit(PURGE_BATCH)
                              .exclusiveStartKey(from)
                              .projectionExpression("#k")
                              .filterExpression("#st <> :p AND #ua < :before")
                              .expressionAttributeNames(
                                  Map.of("#k", Wire.PK, "#st", Wire.STATE, "#ua", Wire.UPDATED))
                              .expressionAttributeValues(
                                  Map.of(
                                      ":p", AttributeValue.fromS(PENDING),
                                      ":before", Wire.number(beforeMillis)))
                              .overrideConfiguration(timeout)));
      for (Map<String, AttributeValue> key : page.items()) {
        if (removed == limit) {
          return removed;
        }
        AttributeValue k = key.get(Wire.PK);
        if (k == null || k.s() == null) {
          continue;
        }
        try {
          dynamo.deleteItem(
              r ->
                  r.tableName(tableName)
                      .key(Map.of(Wire.PK, k))
                      .conditionExpression("#st <> :p AND #ua < :before")
                      .expressionAttributeNames(Map.of("#st", Wire.STATE, "#ua", Wire.UPDATED))
                      .expressionAttributeValues(
                          Map.of(
                              ":p", AttributeValue.fromS(PENDING),
                              ":before", Wire.number(beforeMillis)))
                      .overrideConfiguration(timeout));
          removed++;
        } catch (ConditionalCheckFailedException e) {
          // changed since the scan: kept
        } catch (SdkException e) {
          throw StoreErrors.failure(this, "DeleteItem", e);
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return removed;
  }

  /**
   * A listing is a scan of the state table, in DynamoDB's scan order (stable while rows come and
   * go), resumed with the last key as the exclusive start key; a page reads at most a few scan
   * pages ({@value #LIST_SCANS}).
   */
  @Override
  protected RowPage listRows(@Nullable String state, @Nullable String afterKeyHash, int limit) {
    List<QueueRow> rows = new ArrayList<>();
    String after = afterKeyHash;
    for (int scans = 0; scans < LIST_SCANS && rows.size() < limit; scans++) {
      Map<String, AttributeValue> from =
          after == null ? null : Map.of(Wire.PK, AttributeValue.fromS(after));
      int want = limit - rows.size();
      ScanResponse page =
          db(
              "Scan",
              () ->
                  dynamo.scan(
                      r -> {
                        r.tableName(tableName)
                            .consistentRead(true)
                            .limit(want)
                            .exclusiveStartKey(from)
                            .overrideConfiguration(timeout);
                        if (state != null) {
                          r.filterExpression("#st = :st")
                              .expressionAttributeNames(Map.of("#st", Wire.STATE))
                              .expressionAttributeValues(
                                  Map.of(":st", AttributeValue.fromS(state)));
                        }
                      }));
      for (Map<String, AttributeValue> item : page.items()) {
        if (rows.size() < limit) {
          rows.add(Wire.row(item));
        }
      }
      AttributeValue last =
          page.hasLastEvaluatedKey() ? page.lastEvaluatedKey().get(Wire.PK) : null;
      if (last == null || last.s() == null) {
        return new RowPage(rows, null);
      }
      after = last.s();
    }
    return new RowPage(rows, after);
  }

  @Override
  protected String location() {
    return "queue " + queueName + ", table " + tableName;
  }

  // ------------------------------------------------------------------ SQS steps

  private void send(String keyHash, long notBefore) {
    String url = url();
    int delay = Math.min(secondsDown(notBefore - clock().millis()), MAX_DELAY_SECONDS);
    mq(
        "SendMessage",
        () ->
            sqs.sendMessage(
                r ->
                    r.queueUrl(url)
                        .messageBody(Wire.body(keyHash))
                        .delaySeconds(delay)
                        .overrideConfiguration(timeout)));
  }

  /** Hides a message whose row is due later; an old one is sent afresh (retention). */
  private void redelay(String url, String receipt, String keyHash, long due, long now, long age) {
    if (age > REFRESH_AGE_MILLIS) {
      try {
        send(keyHash, due);
        delete(url, receipt);
        return;
      } catch (StoreException e) {
        LOG.warn("{}: could not send a wake-up afresh: {}", this, e.getMessage());
      }
    }
    hide(url, receipt, Math.min(secondsDown(due - now), MAX_HIDE_SECONDS));
  }

  /** Best effort: when it fails the message comes back when its visibility ends. */
  private void hide(String url, String receipt, int seconds) {
    try {
      sqs.changeMessageVisibility(
          r ->
              r.queueUrl(url)
                  .receiptHandle(receipt)
                  .visibilityTimeout(seconds)
                  .overrideConfiguration(timeout));
    } catch (SdkException e) {
      LOG.debug("{}: ChangeMessageVisibility failed: {}", this, e.getClass().getSimpleName());
    }
  }

  /** Best effort: a message left behind is deleted when it next comes (its row is final). */
  private void delete(String url, String receipt) {
    try {
      sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(receipt).overrideConfiguration(timeout));
    } catch (SdkException e) {
      LOG.debug("{}: DeleteMessage failed: {}", this, e.getClass().getSimpleName());
    }
  }

  private String url() {
    String url = queueUrl;
    if (url == null) {
      url =
          mq(
                  "GetQueueUrl",
                  () -> sqs.getQueueUrl(r -> r.queueName(queueName).overrideConfiguration(timeout)))
              .queueUrl();
      queueUrl = url;
    }
    return url;
  }

  // ------------------------------------------------------------------ helpers

  private static int secondsUp(long millis) {
    if (millis <= 0) {
      return 0;
    }
    long s = (millis + 999) / 1000;
    return (int) Math.min(s, Integer.MAX_VALUE);
  }

  /**
   * Whole seconds, rounded down: SQS wakes a message at or before its row's time (a second's
   * resolution), and the row, on the queue's clock, decides; an early wake-up is hidden again.
   */
  private static int secondsDown(long millis) {
    return millis <= 0 ? 0 : (int) Math.min(millis / 1000, Integer.MAX_VALUE);
  }

  private static String bounded(@Nullable String s) {
    if (s == null) {
      return "none";
    }
    String t = s.length() > 100 ? s.substring(0, 100) : s;
    return t.replaceAll("[^A-Za-z0-9-]", "?");
  }

  private static Map<String, String> withKey(Map<String, String> names) {
    Map<String, String> m = new HashMap<>(names);
    m.put("#k", Wire.PK);
    return m;
  }

  private StoreException missingTable(String operation, Throwable e) {
    return StoreErrors.tableMissing(
        this, operation, "create it with SqsDeliveryQueue.createTable()", e);
  }

  private <T> T db(String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (ResourceNotFoundException e) {
      throw missingTable(operation, e);
    } catch (SdkException e) {
      throw StoreErrors.failure(this, operation, e);
    }
  }

  private <T> T mq(String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (QueueDoesNotExistException e) {
      throw StoreErrors.tableMissing(
          this, operation, "create it with SqsDeliveryQueue.createQueue()", e);
    } catch (SdkException e) {
      throw StoreErrors.failure(this, operation, e);
    }
  }

  /** Configures a {@link SqsDeliveryQueue}. Not thread-safe. */
  public static final class Builder {
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;
    private String tableName = DEFAULT_TABLE_NAME;
    private String queueName = DEFAULT_QUEUE_NAME;
    private @Nullable String queueUrl;
    private Clock clock = Clock.systemUTC();
    private @Nullable Duration requestTimeout;
    private Duration createTableTimeout = Duration.ofMinutes(5);

    private Builder(SqsClient sqs, DynamoDbClient dynamo) {
      this.sqs = Objects.requireNonNull(sqs, "sqs");
      this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    }

    /**
     * Sets the state table's name (default {@value SqsDeliveryQueue#DEFAULT_TABLE_NAME}).
     *
     * @param value 3 to 255 characters of {@code A-Z a-z 0-9 _ - .}
     * @return this builder
     */
    public Builder tableName(String value) {
      if (!TABLE_NAME.matcher(Objects.requireNonNull(value, "tableName")).matches()) {
        throw new IllegalArgumentException(
            "DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ - . but was '"
                + value
                + "'");
      }
      this.tableName = value;
      return this;
    }

    /**
     * Sets the SQS queue's name (default {@value SqsDeliveryQueue#DEFAULT_QUEUE_NAME}); its URL is
     * asked for ({@code GetQueueUrl}) on first use unless {@link #queueUrl} gives it.
     *
     * @param value 1 to 80 characters of {@code A-Z a-z 0-9 _ -} (a standard queue)
     * @return this builder
     */
    public Builder queueName(String value) {
      if (!QUEUE_NAME.matcher(Objects.requireNonNull(value, "queueName")).matches()) {
        throw new IllegalArgumentException(
            "SQS queue names are 1 to 80 characters of A-Z a-z 0-9 _ - but was '" + value + "'");
      }
      this.queueName = value;
      return this;
    }

    /**
     * Sets the queue's URL, when you know it (saves a {@code GetQueueUrl}).
     *
     * @param value the URL SQS gave the queue
     * @return this builder
     */
    public Builder queueUrl(String value) {
      this.queueUrl = Objects.requireNonNull(value, "queueUrl");
      return this;
    }

    /**
     * Sets the clock of due times and leases (default the system's, UTC). All processes' clocks
     * must be in step (NTP).
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets the API call timeout of every request, retries included (default {@link
     * #DEFAULT_REQUEST_TIMEOUT}, 10 s).
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = positive(value, "requestTimeout");
      return this;
    }

    /**
     * Sets how long {@link #createTable()} waits for the table to become active (default 5 min).
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder createTableTimeout(Duration value) {
      this.createTableTimeout = positive(value, "createTableTimeout");
      return this;
    }

    private static Duration positive(Duration value, String name) {
      if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + value);
      }
      return value;
    }

    /**
     * Builds the queue. Makes no network call: the queue and the table are found on first use.
     *
     * @return the queue
     */
    public SqsDeliveryQueue build() {
      return new SqsDeliveryQueue(this);
    }
  }
}
