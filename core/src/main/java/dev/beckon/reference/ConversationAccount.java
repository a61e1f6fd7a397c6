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
    return new ConversationAccount(id, null, null, null, null, null, null, Map.of());
  }
}
