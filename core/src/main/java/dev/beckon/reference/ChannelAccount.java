package dev.beckon.reference;

import dev.beckon.internal.model.PlainValues;
import dev.beckon.internal.model.TextRules;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A user or bot account, as in the Bot Framework {@code ChannelAccount} JSON.
 *
 * <p>Immutable. Any field Beckon does not model (including {@code properties}) is kept in {@link
 * #extra()} in arrival order and written back unchanged.
 *
 * @param id the channel-specific account id, e.g. {@code 29:1GcS…} for a Teams user or {@code
 *     28:<appId>} for a Teams bot; may be {@code null} only where the channel omits it
 * @param name display name, or {@code null}
 * @param aadObjectId Microsoft Entra object id (Teams), or {@code null}
 * @param role {@code user} or {@code bot}, or {@code null}
 * @param extra unknown fields, as plain JSON values (String, Boolean, Number, List, Map, null)
 */
public record ChannelAccount(
    @Nullable String id,
    @Nullable String name,
    @Nullable String aadObjectId,
    @Nullable String role,
    Map<String, @Nullable Object> extra) {

  private static final java.util.Set<String> FIELDS =
      java.util.Set.of("id", "name", "aadObjectId", "role");

  /**
   * Validates the text and freezes the extra properties.
   *
   * @throws IllegalArgumentException naming the field when the id is over {@link
   *     ReferenceKey#MAX_ID_LENGTH} characters or contains NUL, when any string is not well-formed
   *     UTF-16, or when {@code extra} holds a value that is not plain JSON or a key that is one of
   *     the fields above (it would be written twice)
   * @param id the channel-specific account id, e.g. {@code 29:1GcS…} for a Teams user or {@code
   *     28:<appId>} for a Teams bot; may be {@code null} only where the channel omits it
   * @param name display name, or {@code null}
   * @param aadObjectId Microsoft Entra object id (Teams), or {@code null}
   * @param role {@code user} or {@code bot}, or {@code null}
   * @param extra unknown fields, as plain JSON values (String, Boolean, Number, List, Map, null)
   */
  public ChannelAccount {
    TextRules.requireId(id, "account.id", false);
    TextRules.requireText(name, "account.name");
    TextRules.requireText(aadObjectId, "account.aadObjectId");
    TextRules.requireText(role, "account.role");
    extra = PlainValues.freezeObject(extra, "account.extra");
    ConversationReference.refuseShadowing(extra, FIELDS, "account.extra");
  }

  /**
   * An account with just an id and a name.
   *
   * @param id the account id
   * @param name the display name, or {@code null}
   * @return the account
   */
  public static ChannelAccount of(String id, @Nullable String name) {
    return new ChannelAccount(id, name, null, null, Map.of());
  }
}
