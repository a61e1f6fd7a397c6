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
    return builder("message").text(text).build();
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
    return new Builder(this)
        .channelId(reference.channelId())
        .serviceUrl(reference.serviceUrl())
        .from(reference.bot())
        .recipient(reference.user())
        .conversation(reference.conversation())
        .locale(locale != null ? locale : reference.locale())
        .build();
  }

  /**
   * A copy with another text.
   *
   * @param newText the text
   * @return the copy
   */
  public Activity withText(@Nullable String newText) {
    return new Builder(this).text(newText).build();
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
    return new Builder(this).attachments(all).build();
  }

  /**
   * A copy with another channelData.
   *
   * @param newChannelData plain JSON values, or {@code null}
   * @return the copy
   */
  public Activity withChannelData(@Nullable Object newChannelData) {
    return new Builder(this).channelData(newChannelData).build();
  }

  /**
   * A copy with another conversation (e.g. a Teams channel thread id).
   *
   * @param newConversation the conversation
   * @return the copy
   */
  public Activity withConversation(@Nullable ConversationAccount newConversation) {
    return new Builder(this).conversation(newConversation).build();
  }

  /**
   * A copy with a {@code replyToId}.
   *
   * @param newReplyToId the id replied to, or {@code null}
   * @return the copy
   */
  public Activity withReplyToId(@Nullable String newReplyToId) {
    return new Builder(this).replyToId(newReplyToId).build();
  }

  /**
   * A copy with another id.
   *
   * @param newId the activity id, or {@code null}
   * @return the copy
   */
  public Activity withId(@Nullable String newId) {
    return new Builder(this).id(newId).build();
  }

  /**
   * A builder for an activity of any type, every field but the type absent until set.
   *
   * <pre>{@code
   * Activity typing = Activity.builder("typing").locale("en-US").build();
   * }</pre>
   *
   * @param type e.g. {@code message}, {@code typing}, {@code event}; required
   * @return a new builder
   */
  public static Builder builder(String type) {
    return new Builder(type);
  }

  /**
   * Mutable builder for {@link Activity}; not thread-safe. Lists and {@code extra} are checked and
   * frozen as they are set, everything else in {@link #build()}.
   */
  public static final class Builder {
    private String type;
    private @Nullable String id;
    private @Nullable String timestamp;
    private @Nullable String channelId;
    private @Nullable String serviceUrl;
    private @Nullable ChannelAccount from;
    private @Nullable ChannelAccount recipient;
    private @Nullable ConversationAccount conversation;
    private @Nullable String locale;
    private @Nullable String text;
    private @Nullable String textFormat;
    private @Nullable String summary;
    private @Nullable String inputHint;
    private List<@Nullable Object> attachments = List.of();
    private List<@Nullable Object> entities = List.of();
    private @Nullable Object suggestedActions;
    private @Nullable Object channelData;
    private @Nullable String replyToId;
    private Map<String, @Nullable Object> extra = Map.of();

    private Builder(String type) {
      this.type = type;
    }

    private Builder(Activity a) {
      this.type = a.type;
      this.id = a.id;
      this.timestamp = a.timestamp;
      this.channelId = a.channelId;
      this.serviceUrl = a.serviceUrl;
      this.from = a.from;
      this.recipient = a.recipient;
      this.conversation = a.conversation;
      this.locale = a.locale;
      this.text = a.text;
      this.textFormat = a.textFormat;
      this.summary = a.summary;
      this.inputHint = a.inputHint;
      this.attachments = a.attachments;
      this.entities = a.entities;
      this.suggestedActions = a.suggestedActions;
      this.channelData = a.channelData;
      this.replyToId = a.replyToId;
      this.extra = a.extra;
    }

    /**
     * Sets {@code id}.
     *
     * @param value activity id, or {@code null}
     * @return this builder
     */
    public Builder id(@Nullable String value) {
      this.id = value;
      return this;
    }

    /**
     * Sets {@code timestamp}.
     *
     * @param value ISO-8601 timestamp as sent, or {@code null}
     * @return this builder
     */
    public Builder timestamp(@Nullable String value) {
      this.timestamp = value;
      return this;
    }

    /**
     * Sets {@code channelId}.
     *
     * @param value channel id, or {@code null}
     * @return this builder
     */
    public Builder channelId(@Nullable String value) {
      this.channelId = value;
      return this;
    }

    /**
     * Sets {@code serviceUrl}.
     *
     * @param value service URL, or {@code null}
     * @return this builder
     */
    public Builder serviceUrl(@Nullable String value) {
      this.serviceUrl = value;
      return this;
    }

    /**
     * Sets {@code from}.
     *
     * @param value sender, or {@code null}
     * @return this builder
     */
    public Builder from(@Nullable ChannelAccount value) {
      this.from = value;
      return this;
    }

    /**
     * Sets {@code recipient}.
     *
     * @param value recipient, or {@code null}
     * @return this builder
     */
    public Builder recipient(@Nullable ChannelAccount value) {
      this.recipient = value;
      return this;
    }

    /**
     * Sets {@code conversation}.
     *
     * @param value conversation, or {@code null}
     * @return this builder
     */
    public Builder conversation(@Nullable ConversationAccount value) {
      this.conversation = value;
      return this;
    }

    /**
     * Sets {@code locale}.
     *
     * @param value locale such as {@code en-US}, or {@code null}
     * @return this builder
     */
    public Builder locale(@Nullable String value) {
      this.locale = value;
      return this;
    }

    /**
     * Sets {@code text}.
     *
     * @param value message text, or {@code null}
     * @return this builder
     */
    public Builder text(@Nullable String value) {
      this.text = value;
      return this;
    }

    /**
     * Sets {@code textFormat}.
     *
     * @param value {@code plain}, {@code markdown} or {@code xml}, or {@code null}
     * @return this builder
     */
    public Builder textFormat(@Nullable String value) {
      this.textFormat = value;
      return this;
    }

    /**
     * Sets {@code summary}.
     *
     * @param value fallback summary, or {@code null}
     * @return this builder
     */
    public Builder summary(@Nullable String value) {
      this.summary = value;
      return this;
    }

    /**
     * Sets {@code inputHint}.
     *
     * @param value {@code acceptingInput}, {@code expectingInput}, {@code ignoringInput}, or {@code
     *     null}
     * @return this builder
     */
    public Builder inputHint(@Nullable String value) {
      this.inputHint = value;
      return this;
    }

    /**
     * Sets {@code attachments}.
     *
     * @param value attachments (objects with {@code contentType} and {@code content}) as plain JSON
     *     values
     * @return this builder
     * @throws IllegalArgumentException when a value is not plain JSON
     */
    public Builder attachments(List<? extends @Nullable Object> value) {
      this.attachments = PlainValues.freezeList(value, "attachments");
      return this;
    }

    /**
     * Sets {@code entities}.
     *
     * @param value entities such as mentions, as plain JSON values
     * @return this builder
     * @throws IllegalArgumentException when a value is not plain JSON
     */
    public Builder entities(List<? extends @Nullable Object> value) {
      this.entities = PlainValues.freezeList(value, "entities");
      return this;
    }

    /**
     * Sets {@code suggestedActions}.
     *
     * @param value suggested actions object as plain JSON values, or {@code null}
     * @return this builder
     */
    public Builder suggestedActions(@Nullable Object value) {
      this.suggestedActions = value;
      return this;
    }

    /**
     * Sets {@code channelData}.
     *
     * @param value channel-specific data as plain JSON values, or {@code null}
     * @return this builder
     */
    public Builder channelData(@Nullable Object value) {
      this.channelData = value;
      return this;
    }

    /**
     * Sets {@code replyToId}.
     *
     * @param value id of the activity this replies to, or {@code null}
     * @return this builder
     */
    public Builder replyToId(@Nullable String value) {
      this.replyToId = value;
      return this;
    }

    /**
     * Sets {@code extra}.
     *
     * @param value every other field, as plain JSON values
     * @return this builder
     * @throws IllegalArgumentException when a value is not plain JSON
     */
    public Builder extra(Map<String, ? extends @Nullable Object> value) {
      this.extra = PlainValues.freezeObject(value, "extra");
      return this;
    }

    /**
     * Builds the activity.
     *
     * @return the activity
     * @throws IllegalArgumentException when the type is blank, or {@code suggestedActions} or
     *     {@code channelData} is not plain JSON
     */
    public Activity build() {
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
          replyToId,
          extra);
    }
  }
}
