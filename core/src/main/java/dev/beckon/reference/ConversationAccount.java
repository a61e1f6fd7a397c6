package dev.beckon.reference;

import dev.beckon.internal.model.PlainValues;
import dev.beckon.internal.model.TextRules;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The conversation part of a reference, as in the Bot Framework {@code ConversationAccount} JSON.
 *
 * <p>Immutable. Unknown fields are kept in {@link #extra()}. The spurious {@code group} field
 * written by botbuilder-java is read (as {@code isGroup} when that is absent) but never kept or
 * written back.
 *
 * @param id the conversation id, e.g. {@code a:1Uj3…} (Teams personal) or {@code
 *     19:abc@thread.tacv2;messageid=1234} (Teams channel thread); never blank
 * @param name conversation name, or {@code null}
 * @param isGroup whether it has more than two members; {@code null} when the source omitted it
 * @param conversationType {@code personal}, {@code groupChat}, {@code channel}, or {@code null}
 * @param tenantId Microsoft Entra tenant id, or {@code null}
 * @param aadObjectId Entra object id, or {@code null}
 * @param role role, or {@code null}
 * @param extra unknown fields (including {@code properties}) as plain JSON values
 */
public record ConversationAccount(
    String id,
    @Nullable String name,
    @Nullable Boolean isGroup,
    @Nullable String conversationType,
    @Nullable String tenantId,
    @Nullable String aadObjectId,
    @Nullable String role,
    Map<String, @Nullable Object> extra) {

  private static final java.util.Set<String> FIELDS =
      java.util.Set.of(
          "id", "name", "isGroup", "group", "conversationType", "tenantId", "aadObjectId", "role");

  /**
   * Validates the ids and text and freezes the extra properties.
   *
   * @throws IllegalArgumentException naming the field when the id breaks the {@link ReferenceKey}
   *     rules, the tenant id is too long or contains NUL, any string is not well-formed UTF-16, or
   *     {@code extra} holds a value that is not plain JSON or a key that is a field above
   *     (including botbuilder-java's {@code group}, which is never written)
   * @param id the conversation id, e.g. {@code a:1Uj3…} (Teams personal) or {@code
   *     19:abc@thread.tacv2;messageid=1234} (Teams channel thread); never blank
   * @param name conversation name, or {@code null}
   * @param isGroup whether it has more than two members; {@code null} when the source omitted it
   * @param conversationType {@code personal}, {@code groupChat}, {@code channel}, or {@code null}
   * @param tenantId Microsoft Entra tenant id, or {@code null}
   * @param aadObjectId Entra object id, or {@code null}
   * @param role role, or {@code null}
   * @param extra unknown fields (including {@code properties}) as plain JSON values
   */
  public ConversationAccount {
    ReferenceKey.requireId(id, "conversation.id");
    TextRules.requireId(tenantId, "conversation.tenantId", false);
    TextRules.requireText(name, "conversation.name");
    TextRules.requireText(conversationType, "conversation.conversationType");
    TextRules.requireText(aadObjectId, "conversation.aadObjectId");
    TextRules.requireText(role, "conversation.role");
    extra = PlainValues.freezeObject(extra, "conversation.extra");
    ConversationReference.refuseShadowing(extra, FIELDS, "conversation.extra");
  }

  /**
   * A conversation with only an id.
   *
   * @param id the conversation id, not blank
   * @return the conversation
   */
  public static ConversationAccount of(String id) {
    return builder(id).build();
  }

  /**
   * A builder for a conversation with more than an id (a Teams channel with its tenant, say).
   *
   * <pre>{@code
   * ConversationAccount c = ConversationAccount.builder("19:abc@thread.tacv2")
   *     .conversationType("channel").tenantId(tenantId).build();
   * }</pre>
   *
   * @param id the conversation id, not blank
   * @return a new builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** Mutable builder for {@link ConversationAccount}; validation happens in {@link #build()}. */
  public static final class Builder {
    private final String id;
    private @Nullable String name;
    private @Nullable Boolean isGroup;
    private @Nullable String conversationType;
    private @Nullable String tenantId;
    private @Nullable String aadObjectId;
    private @Nullable String role;
    private Map<String, @Nullable Object> extra = Map.of();

    private Builder(String id) {
      this.id = id;
    }

    /**
     * Sets {@code name}.
     *
     * @param value conversation name, or {@code null}
     * @return this builder
     */
    public Builder name(@Nullable String value) {
      this.name = value;
      return this;
    }

    /**
     * Sets {@code isGroup}.
     *
     * @param value whether it has more than two members, or {@code null}
     * @return this builder
     */
    public Builder isGroup(@Nullable Boolean value) {
      this.isGroup = value;
      return this;
    }

    /**
     * Sets {@code conversationType}.
     *
     * @param value {@code personal}, {@code groupChat}, {@code channel}, or {@code null}
     * @return this builder
     */
    public Builder conversationType(@Nullable String value) {
      this.conversationType = value;
      return this;
    }

    /**
     * Sets {@code tenantId}.
     *
     * @param value Microsoft Entra tenant id, or {@code null}
     * @return this builder
     */
    public Builder tenantId(@Nullable String value) {
      this.tenantId = value;
      return this;
    }

    /**
     * Sets {@code aadObjectId}.
     *
     * @param value Entra object id, or {@code null}
     * @return this builder
     */
    public Builder aadObjectId(@Nullable String value) {
      this.aadObjectId = value;
      return this;
    }

    /**
     * Sets {@code role}.
     *
     * @param value role, or {@code null}
     * @return this builder
     */
    public Builder role(@Nullable String value) {
      this.role = value;
      return this;
    }

    /**
     * Sets the unknown fields.
     *
     * @param value plain JSON values
     * @return this builder
     */
    public Builder extra(Map<String, @Nullable Object> value) {
      this.extra = value;
      return this;
    }

    /**
     * Builds the conversation.
     *
     * @return the conversation
     * @throws IllegalArgumentException naming the field, as the canonical constructor does
     */
    public ConversationAccount build() {
      return new ConversationAccount(
          id, name, isGroup, conversationType, tenantId, aadObjectId, role, extra);
    }
  }
}
