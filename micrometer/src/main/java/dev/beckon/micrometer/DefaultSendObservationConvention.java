package dev.beckon.micrometer;

import dev.beckon.activity.Activity;
import dev.beckon.micrometer.BeckonObservationDocumentation.SendKeys;
import dev.beckon.send.SendOutcome;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The default names and keys of a send ({@link BeckonObservationDocumentation#SEND}): name {@value
 * #NAME}, span name {@code beckon.} + the operation. Every low-cardinality value comes from a
 * closed set, whatever a stored reference or the connector holds. Thread-safe.
 */
public class DefaultSendObservationConvention implements SendObservationConvention {

  /** The observation's (and timer's) name. */
  public static final String NAME = "beckon.send";

  private final boolean highCardinalityIds;

  /** The default: conversation and activity ids are not keys. */
  public DefaultSendObservationConvention() {
    this(false);
  }

  /**
   * A convention with or without the ids.
   *
   * @param highCardinalityIds whether conversation and activity ids are high-cardinality keys (on
   *     spans only; personal data in some jurisdictions, so off by default)
   */
  public DefaultSendObservationConvention(boolean highCardinalityIds) {
    this.highCardinalityIds = highCardinalityIds;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(SendContext context) {
    return "beckon." + context.operation().value();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(SendContext context) {
    Activity activity = context.activity();
    List<KeyValue> kv = new ArrayList<>(5);
    kv.add(SendKeys.OPERATION.withValue(context.operation().value()));
    kv.add(SendKeys.CHANNEL.withValue(TagValues.channel(context.reference().channelId())));
    kv.add(
        SendKeys.ACTIVITY_TYPE.withValue(
            activity == null ? "none" : TagValues.activityType(activity.type())));
    SendOutcome outcome = context.outcome();
    if (outcome != null) {
      kv.add(SendKeys.OUTCOME.withValue(outcome.kind().name()));
      kv.add(SendKeys.STATUS_CLASS.withValue(TagValues.statusClass(outcome.status())));
    } else if (context.getError() != null) {
      kv.add(SendKeys.OUTCOME.withValue("ERROR"));
      kv.add(SendKeys.STATUS_CLASS.withValue("none"));
    }
    return KeyValues.of(kv);
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(SendContext context) {
    List<KeyValue> kv = new ArrayList<>(3);
    SendOutcome outcome = context.outcome();
    if (outcome != null && outcome.correlationId() != null) {
      kv.add(SendKeys.CORRELATION_ID.withValue(outcome.correlationId()));
    }
    if (highCardinalityIds) {
      kv.add(
          SendKeys.CONVERSATION_ID.withValue(
              TagValues.id(context.reference().conversation().id())));
      String activityId = activityId(context, outcome);
      if (activityId != null) {
        kv.add(SendKeys.ACTIVITY_ID.withValue(TagValues.id(activityId)));
      }
    }
    return KeyValues.of(kv);
  }

  private static @Nullable String activityId(SendContext context, @Nullable SendOutcome outcome) {
    if (context.targetActivityId() != null) {
      return context.targetActivityId();
    }
    return outcome != null
            && outcome.delivered()
            && context.operation() != SendContext.Operation.CREATE_CONVERSATION
        ? outcome.id()
        : null;
  }
}
