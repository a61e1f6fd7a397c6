package dev.beckon.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.activity.Activity;
import dev.beckon.internal.model.TextRules;
import dev.beckon.reference.ConversationReference;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Captures the {@link ConversationReference} of an incoming activity: {@code user = from}, {@code
 * bot = recipient}, {@code conversation}, {@code channelId}, {@code locale}, {@code serviceUrl},
 * {@code activityId = id} — except for a {@code conversationUpdate} from {@code directline} or
 * {@code webchat}, where the official SDKs leave {@code activityId} out, and so does Beckon.
 *
 * <pre>{@code
 * ConversationReference ref = Capture.reference(requestBody);
 * repository.save(ref);
 * }</pre>
 *
 * <p>Every failure is a {@link MalformedReferenceException} naming the field. Thread-safe.
 */
public final class Capture {

  private Capture() {}

  /**
   * Captures the reference from an incoming activity's JSON.
   *
   * @param activityJson the request body
   * @return the reference
   * @throws MalformedReferenceException naming the field when the activity lacks what a reference
   *     needs or is not JSON
   */
  public static ConversationReference reference(String activityJson) {
    return reference(ActivityJson.read(activityJson));
  }

  /**
   * Captures the reference from an incoming activity's JSON bytes (UTF-8).
   *
   * @param activityJson the request body
   * @return the reference
   * @throws MalformedReferenceException naming the field when the input is not a usable activity or
   *     not UTF-8
   */
  public static ConversationReference reference(byte[] activityJson) {
    return reference(Nodes.text(activityJson));
  }

  /**
   * Captures the reference from an incoming activity already parsed by Jackson.
   *
   * @param activity the activity as a Jackson tree
   * @return the reference
   * @throws MalformedReferenceException naming the field when the tree is not a usable activity
   */
  public static ConversationReference reference(JsonNode activity) {
    return reference(ActivityJson.read(activity));
  }

  /**
   * Captures the reference from an incoming activity.
   *
   * @param activity the incoming activity
   * @return the reference
   * @throws MalformedReferenceException naming the field the activity lacks or holds in a form a
   *     reference refuses (an id over {@link dev.beckon.reference.ReferenceKey#MAX_ID_LENGTH}
   *     characters, say)
   */
  public static ConversationReference reference(Activity activity) {
    Objects.requireNonNull(activity, "activity");
    if (activity.conversation() == null) {
      throw new MalformedReferenceException("conversation", "is required to capture a reference");
    }
    if (isBlank(activity.channelId())) {
      throw new MalformedReferenceException("channelId", "is required to capture a reference");
    }
    Nodes.requireServiceUrl(activity.serviceUrl(), "serviceUrl");
    String channel = activity.channelId();
    boolean omitActivityId =
        "conversationUpdate".equals(activity.type())
            && ("directline".equals(channel) || "webchat".equals(channel));
    requireCapturable(activity.channelId(), "channelId", true);
    requireCapturable(omitActivityId ? null : activity.id(), "id", false);
    try {
      return new ConversationReference(
          omitActivityId ? null : activity.id(),
          activity.from(),
          activity.recipient(),
          activity.conversation(),
          Objects.requireNonNull(channel),
          activity.locale(),
          Objects.requireNonNull(activity.serviceUrl()),
          Map.of());
    } catch (IllegalArgumentException e) {
      // an Activity built by hand may hold what a reference refuses (the reader refuses it first)
      throw new MalformedReferenceException("$", String.valueOf(e.getMessage()), e);
    }
  }

  private static void requireCapturable(@Nullable String id, String path, boolean required) {
    String problem = TextRules.idProblem(id, required);
    if (problem != null) {
      throw new MalformedReferenceException(path, problem);
    }
  }

  private static boolean isBlank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
