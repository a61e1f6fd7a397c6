package dev.beckon.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the canonical v4 ConversationReference JSON from a tree, keeping unknown fields. The Agents
 * SDK's {@code agent} is read as the bot ({@link BotField}).
 */
final class ReferenceReader {

  private ReferenceReader() {}

  /**
   * Reads a reference from a tree.
   *
   * @param root the JSON object
   * @return the reference
   */
  static ConversationReference read(JsonNode root) {
    Nodes.requireObject(root, "");
    String activityId = null;
    ChannelAccount user = null;
    ChannelAccount bot = null;
    ChannelAccount agent = null;
    boolean hasBot = false;
    boolean hasAgent = false;
    ConversationAccount conversation = null;
    String channelId = null;
    String locale = null;
    String serviceUrl = null;
    Map<String, @Nullable Object> extra = null;
    Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = e.getKey();
      JsonNode v = e.getValue();
      switch (f) {
        case "activityId" -> activityId = Nodes.optId(v, f);
        case "user" -> user = Nodes.optAccount(v, f);
        case "bot" -> {
          bot = Nodes.optAccount(v, f);
          hasBot = true;
        }
        case "agent" -> {
          agent = Nodes.optAccount(v, f);
          hasAgent = true;
        }
        case "conversation" -> conversation = Nodes.optConversation(v, f, true);
        case "channelId" -> channelId = Nodes.requireId(v, f);
        case "locale" -> locale = Nodes.optString(v, f);
        case "serviceUrl" -> serviceUrl = Nodes.requireString(v, f);
        default -> extra = Nodes.putExtra(extra, "", f, v);
      }
    }
    if (conversation == null) {
      throw new MalformedReferenceException("conversation", "is required");
    }
    if (channelId == null) {
      throw new MalformedReferenceException("channelId", "is required");
    }
    if (serviceUrl == null) {
      throw new MalformedReferenceException("serviceUrl", "is required");
    }
    Nodes.requireServiceUrl(serviceUrl, "serviceUrl");
    if (hasAgent) {
      // the Agents SDK names the bot account "agent"
      if (!hasBot) {
        bot = agent;
      } else if (!java.util.Objects.equals(bot, agent)) {
        throw new MalformedReferenceException(
            "agent", "names another account than bot: which one is the bot is ambiguous");
      }
    }
    String a = activityId;
    ChannelAccount u = user;
    ChannelAccount b = bot;
    ConversationAccount c = conversation;
    String ch = channelId;
    String l = locale;
    String s = serviceUrl;
    Map<String, @Nullable Object> x = extra == null ? Map.of() : extra;
    return Nodes.construct("", () -> new ConversationReference(a, u, b, c, ch, l, s, x));
  }
}
