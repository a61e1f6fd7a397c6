package dev.beckon.auth;

import dev.beckon.codec.AgentsConversations;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationReference;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which app, in which tenant, a reference belongs to: what a {@link TokenRouting} chooses a token
 * provider by.
 *
 * <p>{@link #of(ConversationReference)} takes the app id from the reference's routing claims
 * ({@code claims.aud}, kept by {@link AgentsConversations} from an Agents SDK import), else from a
 * Teams bot id {@code 28:<appId>}; the tenant from {@code claims.tid}, else {@code
 * conversation.tenantId}. Either may be unknown ({@code null}). Ids compare without regard to case
 * (app ids and tenants are GUIDs).
 *
 * @param appId the app id, or {@code null} when the reference does not name one
 * @param tenantId the tenant, or {@code null} when the reference does not name one
 */
public record TokenRoute(@Nullable String appId, @Nullable String tenantId) {

  /** The prefix of a Teams bot id: {@code 28:<appId>}. */
  public static final String TEAMS_BOT_PREFIX = "28:";

  /**
   * Lower-cases the ids (they compare without regard to case); blank ids become {@code null}.
   *
   * @param appId the app id, or {@code null}
   * @param tenantId the tenant, or {@code null}
   */
  public TokenRoute {
    appId = normal(appId);
    tenantId = normal(tenantId);
  }

  private static @Nullable String normal(@Nullable String id) {
    return id == null || id.isBlank() ? null : id.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * The route of a reference (see the class comment).
   *
   * @param reference the reference
   * @return its route; both parts may be {@code null}
   */
  public static TokenRoute of(ConversationReference reference) {
    String app = AgentsConversations.appId(reference).orElse(null);
    if (app == null) {
      ChannelAccount bot = reference.bot();
      String id = bot == null ? null : bot.id();
      if (id != null && id.startsWith(TEAMS_BOT_PREFIX)) {
        app = id.substring(TEAMS_BOT_PREFIX.length());
      }
    }
    String tenant =
        AgentsConversations.tenantId(reference).orElse(reference.conversation().tenantId());
    return new TokenRoute(app, tenant);
  }
}
