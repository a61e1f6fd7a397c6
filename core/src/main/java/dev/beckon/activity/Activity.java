package dev.beckon.activity;

import dev.beckon.internal.model.PlainValues;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Bot Framework activity: the fields Beckon needs for incoming requests and outgoing messages,
 * plus every other field kept in {@link #extra()} and written back unchanged. Its JSON is read and
 * written by {@link dev.beckon.codec.ActivityJson}.
 *
 * <p>Immutable. Structured parts ({@code attachments}, {@code entities}, {@code channelData},
 * {@code suggestedActions}) are plain JSON values: {@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean} or {@code null}.
 *
 * <pre>{@code
 * Activity hello = Activity.message("Your report is ready");
 * Activity card = Activity.message(null).withAttachment(
 *     "application/vnd.microsoft.card.adaptive", cardJsonAsMap);
 * }</pre>
 *
 * @param type e.g. {@code message}, {@code conversationUpdate}; required
 * @param id activity id, or {@code null}
 * @param timestamp ISO-8601 timestamp as sent, or {@code null}
 * @param channelId channel id, or {@code null}
 * @param serviceUrl service URL, or {@code null}
 * @param from sender, or {@code null}
 * @param recipient recipient, or {@code null}
 * @param conversation conversation, or {@code null}
 * @param locale locale such as {@code en-US}, or {@code null}
 * @param text message text, or {@code null}
 * @param textFormat {@code plain}, {@code markdown} or {@code xml}, or {@code null}
 * @param summary fallback summary, or {@code null}
 * @param inputHint {@code acceptingInput}, {@code expectingInput}, {@code ignoringInput}, or {@code
 *     null}
 * @param attachments attachments (objects with {@code contentType} and {@code content})
 * @param entities entities such as mentions
 * @param suggestedActions suggested actions object, or {@code null}
 * @param channelData channel-specific data, or {@code null}
 * @param replyToId id of the activity this replies to, or {@code null}
 * @param extra every other field, as plain JSON values
 */
public record Activity(
    String type,
    @Nullable String id,
    @Nullable String timestamp,
    @Nullable String channelId,
    @Nullable String serviceUrl,
    @Nullable ChannelAccount from,
    @Nullable ChannelAccount recipient,
    @Nullable ConversationAccount conversation,
    @Nullable String locale,
    @Nullable String text,
    @Nullable String textFormat,
    @Nullable String summary,
    @Nullable String inputHint,
    List<@Nullable Object> attachments,
    List<@Nullable Object> entities,
    @Nullable Object suggestedActions,
    @Nullable Object channelData,
    @Nullable String replyToId,
    Map<String, @Nullable Object> extra) {

  /**
   * Validates the type and freezes the structured parts.
   *
   * @throws IllegalArgumentException when the type is blank, or a structured part or {@code extra}
   *     holds something that is not a plain JSON value, a number that could not be written and read
   *     back exactly, or a string or key that is not well-formed UTF-16
   * @param type e.g. {@code message}, {@code conversationUpdate}; required
   * @param id activity id, or {@code null}
   * @param timestamp ISO-8601 timestamp as sent, or {@code null}
   * @param channelId channel id, or {@code null}
   * @param serviceUrl service URL, or {@code null}
   * @param from sender, or {@code null}
   * @param recipient recipient, or {@code null}
   * @param conversation conversation, or {@code null}
   * @param locale locale such as {@code en-US}, or {@code null}
   * @param text message text, or {@code null}
   * @param textFormat {@code plain}, {@code markdown} or {@code xml}, or {@code null}
   * @param summary fallback summary, or {@code null}
   * @param inputHint {@code acceptingInput}, {@code expectingInput}, {@code ignoringInput}, or
   *     {@code null}
   * @param attachments attachments (objects with {@code contentType} and {@code content})
   * @param entities entities such as mentions
   * @param suggestedActions suggested actions object, or {@code null}
   * @param channelData channel-specific data, or {@code null}
   * @param replyToId id of the activity this replies to, or {@code null}
   * @param extra every other field, as plain JSON values
   */
  public Activity {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("activity type is required and must not be blank");
    }
    attachments = PlainValues.freezeList(attachments, "attachments");
    entities = PlainValues.freezeList(entities, "entities");
    suggestedActions = PlainValues.freeze(suggestedActions, "suggestedActions");
    channelData = PlainValues.freeze(channelData, "channelData");
    extra = PlainValues.freezeObject(extra, "extra");
  }

  /**
   * A new {@code message} activity with only text.
   *
   * @param text the text, or {@code null} for a message carrying only attachments
   * @return the activity
   */
  public static Activity message(@Nullable String text) {
    return new Activity(
        "message", null, null, null, null, null, null, null, null, text, null, null, null,
        List.of(), List.of(), null, null, null, Map.of());
  }

  /**
   * The outgoing form of this activity for a conversation: {@code from = bot}, {@code recipient =
   * user}, {@code conversation}, {@code channelId}, {@code serviceUrl}, and the reference's {@code
   * locale} unless this activity has one. {@code replyToId} is left as it is: a stored {@code
   * activityId} never turns a send into a reply.
   *
   * @param reference where the activity goes
   * @return the addressed copy
   */
  public Activity addressedTo(ConversationReference reference) {
    return new Activity(
        type,
        id,
        timestamp,
        reference.channelId(),
        reference.serviceUrl(),
        reference.bot(),
        reference.user(),
        reference.conversation(),
        locale != null ? locale : reference.locale(),
        text,
        textFormat,
        summary,
        inputHint,
        attachments,
        entities,
        suggestedActions,
        channelData,
        replyToId,
        extra);
  }

  /**
   * A copy with another text.
   *
   * @param newText the text
   * @return the copy
   */
  public Activity withText(@Nullable String newText) {
    return new Activity(
        type,
        id,
        timestamp,
        channelId,
        serviceUrl,
        from,
        recipient,
        conversation,
        locale,
        newText,
        textFormat,
        summary,
        inputHint,
        attachments,
        entities,
        suggestedActions,
        channelData,
        replyToId,
        extra);
  }

  /**
   * A copy with one more attachment.
   *
   * @param contentType e.g. {@code application/vnd.microsoft.card.adaptive}
   * @param content the attachment content as plain JSON values (e.g. an Adaptive Card as a Map)
   * @return the copy
   */
  public Activity withAttachment(String contentType, @Nullable Object content) {
    List<@Nullable Object> all = new ArrayList<>(attachments);
    java.util.LinkedHashMap<String, @Nullable Object> a = new java.util.LinkedHashMap<>();
    a.put("contentType", contentType);
    a.put("content", content);
    all.add(a);
    return new Activity(
        type,
        id,
        timestamp,
        channelId,
        serviceUrl,
        from,
        recipient,
        conversation,
        locale,
        text,
        textFormat,
        summary,
        inputHint,
        all,
        entities,
        suggestedActions,
        channelData,
        replyToId,
        extra);
  }

  /**
   * A copy with another channelData.
   *
   * @param newChannelData plain JSON values, or {@code null}
   * @return the copy
   */
  public Activity withChannelData(@Nullable Object newChannelData) {
    return new Activity(
        type,
        id,
        timestamp,
        channelId,
        serviceUrl,
        from,
        recipient,
        conversation,
        locale,
        text,
        textFormat,
        summary,
        inputHint,
        attachments,
        entities,
        suggestedActions,
        newChannelData,
        replyToId,
        extra);
  }

  /**
   * A copy with another conversation (e.g. a Teams channel thread id).
   *
   * @param newConversation the conversation
   * @return the copy
   */
  public Activity withConversation(@Nullable ConversationAccount newConversation) {
    return new Activity(
        type,
        id,
        timestamp,
        channelId,
        serviceUrl,
        from,
        recipient,
        newConversation,
        locale,
        text,
        textFormat,
        summary,
        inputHint,
        attachments,
        entities,
        suggestedActions,
        channelData,
        replyToId,
        extra);
  }

  /**
   * A copy with a {@code replyToId}.
   *
   * @param newReplyToId the id replied to, or {@code null}
   * @return the copy
   */
  public Activity withReplyToId(@Nullable String newReplyToId) {
    return new Activity(
        type,
        id,
        timestamp,
        channelId,
        serviceUrl,
        from,
        recipient,
        conversation,
        locale,
        text,
        textFormat,
        summary,
        inputHint,
        attachments,
        entities,
        suggestedActions,
        channelData,
        newReplyToId,
        extra);
  }

  /**
   * A copy with another id.
   *
   * @param newId the activity id, or {@code null}
   * @return the copy
   */
  public Activity withId(@Nullable String newId) {
    return new Activity(
        type,
        newId,
        timestamp,
        channelId,
        serviceUrl,
        from,
        recipient,
        conversation,
        locale,
        text,
        textFormat,
        summary,
        inputHint,
        attachments,
        entities,
        suggestedActions,
        channelData,
        replyToId,
        extra);
  }
}
