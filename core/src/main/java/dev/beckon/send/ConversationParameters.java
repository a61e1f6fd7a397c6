package dev.beckon.send;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ChannelAccount;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What conversation to create ({@code POST /v3/conversations}).
 *
 * <pre>{@code
 * // Teams: a 1:1 chat with a member of a team or group the bot is in
 * ConversationParameters.oneOnOne(ChannelAccount.of("29:1GcS…", null), tenantId);
 * // Teams: a new thread in a channel, starting with a first post
 * ConversationParameters.channelThread("19:abc@thread.tacv2", Activity.message("Build 1234 failed"), tenantId);
 * }</pre>
 *
 * @param isGroup whether the new conversation is a group (channel thread)
 * @param member the member of a 1:1, or {@code null}
 * @param tenantId the Teams tenant, or {@code null}
 * @param channelData channel data (e.g. Teams {@code channel.id}, {@code tenant.id}), or {@code
 *     null}
 * @param activity the first activity (channel threads), or {@code null}
 */
public record ConversationParameters(
    boolean isGroup,
    @Nullable ChannelAccount member,
    @Nullable String tenantId,
    @Nullable Map<String, Object> channelData,
    @Nullable Activity activity) {

  /**
   * A 1:1 conversation with a member (Teams: from a group or team reference), in a tenant.
   *
   * @param member the user, e.g. {@code 29:…}
   * @param tenantId the tenant id, or {@code null} outside Teams
   * @return the parameters
   */
  public static ConversationParameters oneOnOne(ChannelAccount member, @Nullable String tenantId) {
    Objects.requireNonNull(member, "member");
    Map<String, Object> cd = new LinkedHashMap<>();
    if (tenantId != null) {
      cd.put("tenant", Map.of("id", tenantId));
    }
    return new ConversationParameters(false, member, tenantId, cd.isEmpty() ? null : cd, null);
  }

  /**
   * A new Teams channel thread, started by a first post.
   *
   * @param teamsChannelId the channel, e.g. {@code 19:abc@thread.tacv2}
   * @param firstPost the first post
   * @param tenantId the tenant, or {@code null}
   * @return the parameters
   */
  public static ConversationParameters channelThread(
      String teamsChannelId, Activity firstPost, @Nullable String tenantId) {
    Objects.requireNonNull(teamsChannelId, "teamsChannelId");
    Objects.requireNonNull(firstPost, "firstPost");
    Map<String, Object> cd = new LinkedHashMap<>();
    cd.put("channel", Map.of("id", teamsChannelId));
    if (tenantId != null) {
      cd.put("tenant", Map.of("id", tenantId));
    }
    return new ConversationParameters(true, null, tenantId, cd, firstPost);
  }
}
