package dev.beckon.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.activity.Activity;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.internal.json.ActivityReader;
import dev.beckon.internal.json.Json;
import dev.beckon.internal.json.JsonValues;
import dev.beckon.internal.json.TextRules;
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
 * <p>Capture one from an incoming activity with a single call:
 *
 * <pre>{@code
 * ConversationReference ref = ConversationReference.capture(requestBody);
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
      Set.of("activityId", "user", "bot", "conversation", "channelId", "locale", "serviceUrl");

  /**
   * Validates required fields and text and freezes the extra properties.
   *
   * @throws IllegalArgumentException naming the field: a channel id that breaks the {@link
   *     ReferenceKey} rules, an activity id over {@link ReferenceKey#MAX_ID_LENGTH} characters or
   *     with NUL, a {@code serviceUrl} that breaks {@link ServiceUrl}'s rule, a string that is not
   *     well-formed UTF-16, or {@code extra} holding a value that is not plain JSON or a key that
   *     is a field above
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
    extra = JsonValues.freezeObject(extra, "extra");
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
   * Captures the reference from an incoming activity's JSON.
   *
   * <p>{@code user = from}, {@code bot = recipient}, {@code conversation}, {@code channelId},
   * {@code locale}, {@code serviceUrl}, {@code activityId = id} — except for a {@code
   * conversationUpdate} from {@code directline} or {@code webchat}, where the official SDKs leave
   * {@code activityId} out, and so does Beckon.
   *
   * @param activityJson the request body
   * @return the reference
   * @throws MalformedReferenceException naming the field when the activity lacks what a reference
   *     needs or is not JSON
   */
  public static ConversationReference capture(String activityJson) {
    return capture(Activity.fromJson(activityJson));
  }

  /**
   * Captures the reference from an incoming activity's JSON bytes (UTF-8).
   *
   * @param activityJson the request body
   * @return the reference
   * @throws MalformedReferenceException naming the field when the input is not a usable activity or
   *     not UTF-8
   */
  public static ConversationReference capture(byte[] activityJson) {
    return capture(Json.text(activityJson));
  }

  /**
   * Captures the reference from an incoming activity already parsed by Jackson.
   *
   * @param activity the activity as a Jackson tree
   * @return the reference
   * @throws MalformedReferenceException naming the field when the tree is not a usable activity
   */
  public static ConversationReference capture(JsonNode activity) {
    return capture(ActivityReader.read(activity));
  }

  /**
   * Captures the reference from an incoming activity.
   *
   * @param activity the incoming activity
   * @return the reference
   * @throws MalformedReferenceException naming the field the activity lacks or holds in a form a
   *     reference refuses (an id over {@link ReferenceKey#MAX_ID_LENGTH} characters, say)
   */
  public static ConversationReference capture(Activity activity) {
    Objects.requireNonNull(activity, "activity");
    if (activity.conversation() == null) {
      throw new MalformedReferenceException("conversation", "is required to capture a reference");
    }
    if (isBlank(activity.channelId())) {
      throw new MalformedReferenceException("channelId", "is required to capture a reference");
    }
    ServiceUrl.parseField(activity.serviceUrl(), "serviceUrl");
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

  private static boolean isBlank(@Nullable String s) {
    return s == null || s.isBlank();
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
