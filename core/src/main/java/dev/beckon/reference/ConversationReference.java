package dev.beckon.reference;

import dev.beckon.internal.model.PlainValues;
import dev.beckon.internal.model.TextRules;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to post into a conversation later: the Bot Framework v4 {@code
 * ConversationReference}, field for field.
 *
 * <p>Immutable and thread-safe. Its canonical JSON ({@link dev.beckon.codec.ReferenceJson}) is the
 * v4 JSON the official SDKs read and write, so references move freely between Beckon and
 * botbuilder. Fields Beckon does not model are kept in {@link #extra()} and written back.
 *
 * <p>Capture one from an incoming activity with a single call ({@link dev.beckon.codec.Capture}):
 *
 * <pre>{@code
 * ConversationReference ref = Capture.reference(requestBody);
 * repository.save(ref);
 * }</pre>
 *
 * <p>Note: {@link #activityId()} is kept because it is data, but Beckon never uses it implicitly: a
 * proactive send is a new message unless the caller explicitly asks for a reply.
 *
 * @param activityId id of the activity it was captured from, or {@code null}
 * @param user the user ({@code from} of the incoming activity), or {@code null}
 * @param bot the bot ({@code recipient} of the incoming activity), or {@code null}
 * @param conversation the conversation; required
 * @param channelId the channel id, e.g. {@code msteams}; required
 * @param locale e.g. {@code en-US}, or {@code null}
 * @param serviceUrl the Bot Connector endpoint to post to; required, kept verbatim; must pass
 *     {@link ServiceUrl}'s rule (https, or http to loopback; no user info, query or fragment)
 * @param extra unknown top-level fields as plain JSON values
 */
public record ConversationReference(
    @Nullable String activityId,
    @Nullable ChannelAccount user,
    @Nullable ChannelAccount bot,
    ConversationAccount conversation,
    String channelId,
    @Nullable String locale,
    String serviceUrl,
    Map<String, @Nullable Object> extra) {

  private static final Set<String> FIELDS =
      Set.of(
          "activityId",
          "user",
          "bot",
          "agent", // the Agents SDK's name of the bot account: read as bot
          "conversation",
          "channelId",
          "locale",
          "serviceUrl");

  /**
   * Validates required fields and text and freezes the extra properties.
   *
   * @throws IllegalArgumentException naming the field: a channel id that breaks the {@link
   *     ReferenceKey} rules, an activity id over {@link ReferenceKey#MAX_ID_LENGTH} characters or
   *     with NUL, a {@code serviceUrl} that breaks {@link ServiceUrl}'s rule, a string that is not
   *     well-formed UTF-16, or {@code extra} holding a value that is not plain JSON or a key that
   *     is a field above or {@code agent} (the Agents SDK's name of {@code bot})
   * @throws NullPointerException when {@code conversation} is null
   * @param activityId id of the activity it was captured from, or {@code null}
   * @param user the user ({@code from} of the incoming activity), or {@code null}
   * @param bot the bot ({@code recipient} of the incoming activity), or {@code null}
   * @param conversation the conversation; required
   * @param channelId the channel id, e.g. {@code msteams}; required
   * @param locale e.g. {@code en-US}, or {@code null}
   * @param serviceUrl the Bot Connector endpoint to post to; required, kept verbatim; must pass
   *     {@link ServiceUrl}'s rule (https, or http to loopback; no user info, query or fragment)
   * @param extra unknown top-level fields as plain JSON values
   */
  public ConversationReference {
    Objects.requireNonNull(conversation, "conversation is required");
    ReferenceKey.requireId(channelId, "channelId");
    ServiceUrl.parse(serviceUrl);
    TextRules.requireId(activityId, "activityId", false);
    TextRules.requireText(locale, "locale");
    extra = PlainValues.freezeObject(extra, "extra");
    refuseShadowing(extra, FIELDS, "extra");
  }

  /** Refuses extra keys that name a modelled field: the JSON would carry the field twice. */
  static void refuseShadowing(
      Map<String, @Nullable Object> extra, Set<String> fields, String path) {
    if (extra.isEmpty()) {
      return;
    }
    for (String k : extra.keySet()) {
      if (fields.contains(k)) {
        throw new IllegalArgumentException(
            path + " must not contain \"" + k + "\": it is a field of its own");
      }
    }
  }

  /**
   * The store key of this reference.
   *
   * @return {@code (channelId, conversation.id)}
   */
  public ReferenceKey key() {
    return new ReferenceKey(channelId, conversation.id());
  }

  /**
   * A builder for references assembled by hand (tests, imports).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A copy with another service URL (channels may move a conversation to another endpoint).
   *
   * @param newServiceUrl the new service URL
   * @return the copy
   */
  public ConversationReference withServiceUrl(String newServiceUrl) {
    return new ConversationReference(
        activityId, user, bot, conversation, channelId, locale, newServiceUrl, extra);
  }

  /** Mutable builder for {@link ConversationReference}; not thread-safe. */
  public static final class Builder {
    private @Nullable String activityId;
    private @Nullable ChannelAccount user;
    private @Nullable ChannelAccount bot;
    private @Nullable ConversationAccount conversation;
    private @Nullable String channelId;
    private @Nullable String locale;
    private @Nullable String serviceUrl;
    private Map<String, @Nullable Object> extra = Map.of();

    private Builder() {}

    /**
     * Sets the activity id.
     *
     * @param value the id, or {@code null}
     * @return this builder
     */
    public Builder activityId(@Nullable String value) {
      this.activityId = value;
      return this;
    }

    /**
     * Sets the user.
     *
     * @param value the user, or {@code null}
     * @return this builder
     */
    public Builder user(@Nullable ChannelAccount value) {
      this.user = value;
      return this;
    }

    /**
     * Sets the bot.
     *
     * @param value the bot, or {@code null}
     * @return this builder
     */
    public Builder bot(@Nullable ChannelAccount value) {
      this.bot = value;
      return this;
    }

    /**
     * Sets the conversation.
     *
     * @param value the conversation
     * @return this builder
     */
    public Builder conversation(ConversationAccount value) {
      this.conversation = value;
      return this;
    }

    /**
     * Sets the conversation by id only.
     *
     * @param id the conversation id
     * @return this builder
     */
    public Builder conversationId(String id) {
      this.conversation = ConversationAccount.of(id);
      return this;
    }

    /**
     * Sets the channel id.
     *
     * @param value e.g. {@code msteams}
     * @return this builder
     */
    public Builder channelId(String value) {
      this.channelId = value;
      return this;
    }

    /**
     * Sets the locale.
     *
     * @param value e.g. {@code en-US}, or {@code null}
     * @return this builder
     */
    public Builder locale(@Nullable String value) {
      this.locale = value;
      return this;
    }

    /**
     * Sets the service URL.
     *
     * @param value the Bot Connector endpoint
     * @return this builder
     */
    public Builder serviceUrl(String value) {
      this.serviceUrl = value;
      return this;
    }

    /**
     * Sets the unknown top-level fields.
     *
     * @param value plain JSON values
     * @return this builder
     */
    public Builder extra(Map<String, @Nullable Object> value) {
      this.extra = value;
      return this;
    }

    /**
     * Builds the reference.
     *
     * @return the reference
     * @throws IllegalArgumentException naming the missing or invalid field
     */
    public ConversationReference build() {
      if (conversation == null) {
        throw new IllegalArgumentException("conversation is required");
      }
      return new ConversationReference(
          activityId,
          user,
          bot,
          conversation,
          Objects.requireNonNullElse(channelId, ""),
          locale,
          Objects.requireNonNullElse(serviceUrl, ""),
          extra);
    }
  }
}
