package dev.beckon.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * Beckon's Observations: their names, span names and keys. Each observation becomes, through the
 * handlers of the user's registry, a timer of its name (with a {@code .active} long-task timer),
 * and a span named after its contextual name. Low-cardinality keys are on both; high-cardinality
 * keys only on spans. {@code docs/observability.md} lists the resulting metrics for dashboards.
 */
public enum BeckonObservationDocumentation implements ObservationDocumentation {

  /**
   * One send through a {@link dev.beckon.send.Sender} (send, reply, update, delete, create a
   * conversation), from the call to its {@link dev.beckon.send.SendOutcome}, retries included. Span
   * name: {@code beckon.} + the operation, e.g. {@code beckon.send_activity}.
   */
  SEND {
    @Override
    public String getName() {
      return DefaultSendObservationConvention.NAME;
    }

    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultSendObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return SendKeys.LOW;
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
      return SendKeys.HIGH;
    }
  },

  /**
   * One call of a {@link dev.beckon.store.ReferenceRepository}. Span name: {@code beckon.store.} +
   * the operation, e.g. {@code beckon.store.save}.
   */
  STORE {
    @Override
    public String getName() {
      return DefaultStoreObservationConvention.NAME;
    }

    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultStoreObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return StoreKeys.values();
    }
  },

  /**
   * One call of a {@link dev.beckon.auth.TokenProvider}: a cached token or a fetch. Span name:
   * {@code beckon.token}.
   */
  TOKEN {
    @Override
    public String getName() {
      return DefaultTokenObservationConvention.NAME;
    }

    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultTokenObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return TokenKeys.values();
    }
  };

  /** The keys of {@link #SEND}. */
  public enum SendKeys implements KeyName {
    /**
     * Low cardinality: {@code send_activity}, {@code reply_to_activity}, {@code update_activity},
     * {@code delete_activity} or {@code create_conversation} (the Agents SDK's words).
     */
    OPERATION("beckon.operation"),
    /**
     * Low cardinality: the {@link dev.beckon.send.SendOutcome.Kind} ({@code DELIVERED}, {@code
     * THROTTLED}, {@code CONVERSATION_GONE}, {@code FORBIDDEN}, {@code UNAUTHORIZED}, {@code
     * REJECTED}, {@code FAILED}, {@code UNKNOWN}), or {@code ERROR} when the sender threw instead
     * of answering (a sender of your own).
     */
    OUTCOME("beckon.outcome"),
    /**
     * Low cardinality: the class of the last HTTP status, {@code 2xx} to {@code 5xx}, or {@code
     * none} when no answer came.
     */
    STATUS_CLASS("beckon.status.class"),
    /**
     * Low cardinality: the reference's channel ({@code msteams}, {@code webchat}, …) when it is a
     * known Bot Framework channel, else {@code other}: the tag never grows with stored data.
     */
    CHANNEL("activity.channel_id"),
    /**
     * Low cardinality: the activity's type ({@code message}, {@code event}, …) when it is a known
     * one, {@code other} for another, {@code none} for a delete.
     */
    ACTIVITY_TYPE("activity.type"),
    /**
     * High cardinality, only with {@link BeckonObservations.Builder#highCardinalityIds}: the
     * conversation id.
     */
    CONVERSATION_ID("activity.conversation_id"),
    /**
     * High cardinality, only with {@link BeckonObservations.Builder#highCardinalityIds}: the new
     * activity's id (delivered) or the one replied to, updated or deleted.
     */
    ACTIVITY_ID("activity.id"),
    /**
     * High cardinality, whenever the connector answered one: its {@code MS-CV} (or {@code
     * X-Correlating-OperationId}), already validated by {@link
     * dev.beckon.send.SendOutcome#readCorrelationId}: what Microsoft support asks for.
     */
    CORRELATION_ID("beckon.correlation_id");

    static final KeyName[] LOW = {OPERATION, OUTCOME, STATUS_CLASS, CHANNEL, ACTIVITY_TYPE};
    static final KeyName[] HIGH = {CONVERSATION_ID, ACTIVITY_ID, CORRELATION_ID};

    private final String key;

    SendKeys(String key) {
      this.key = key;
    }

    @Override
    public String asString() {
      return key;
    }
  }

  /** The keys of {@link #STORE}, all low cardinality. */
  public enum StoreKeys implements KeyName {
    /** The {@link StoreContext.Operation}'s tag value: {@code save}, {@code find}, …. */
    OPERATION("beckon.operation"),
    /**
     * The store: named when the repository was decorated, by default after its class ({@code
     * memory}, {@code jdbc}, {@code redis}, {@code azuretable}, {@code dynamodb}).
     */
    STORE("beckon.store"),
    /** The {@link StoreContext.Outcome}'s tag value: {@code success}, {@code absent}, …. */
    OUTCOME("beckon.outcome");

    private final String key;

    StoreKeys(String key) {
      this.key = key;
    }

    @Override
    public String asString() {
      return key;
    }
  }

  /** The keys of {@link #TOKEN}, all low cardinality. */
  public enum TokenKeys implements KeyName {
    /** {@code success}, or {@code error} when the provider failed (the token is never a tag). */
    OUTCOME("beckon.outcome");

    private final String key;

    TokenKeys(String key) {
      this.key = key;
    }

    @Override
    public String asString() {
      return key;
    }
  }
}
