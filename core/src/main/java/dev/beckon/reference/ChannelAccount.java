package dev.beckon.reference;

import dev.beckon.internal.json.JsonValues;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A user or bot account, as in the Bot Framework {@code ChannelAccount} JSON.
 *
 * <p>Immutable. Any field Beckon does not model (including {@code properties}) is kept in
 * {@link #extra()} in arrival order and written back unchanged.
 *
 * @param id the channel-specific account id, e.g. {@code 29:1GcS…} for a Teams user or
 *     {@code 28:<appId>} for a Teams bot; may be {@code null} only where the channel omits it
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

  /** Validates and freezes the extra properties. */
  public ChannelAccount {
    extra = JsonValues.freezeObject(extra, "account.extra");
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
