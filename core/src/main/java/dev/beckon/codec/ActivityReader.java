package dev.beckon.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.activity.Activity;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Reads activities from JSON, keeping unknown fields. */
final class ActivityReader {

  private ActivityReader() {}

  /**
   * Reads an activity from a tree.
   *
   * @param root the JSON object
   * @return the activity
   */
  @SuppressWarnings("unchecked")
  static Activity read(JsonNode root) {
    if (root == null) {
      throw new MalformedReferenceException("$", "input is null");
    }
    Nodes.requireObject(root, "");
    String type = null;
    String id = null;
    String timestamp = null;
    String channelId = null;
    String serviceUrl = null;
    ChannelAccount from = null;
    ChannelAccount recipient = null;
    ConversationAccount conversation = null;
    String locale = null;
    String text = null;
    String textFormat = null;
    String summary = null;
    String inputHint = null;
    List<@Nullable Object> attachments = List.of();
    List<@Nullable Object> entities = List.of();
    Object suggestedActions = null;
    Object channelData = null;
    String replyToId = null;
    Map<String, @Nullable Object> extra = null;
    Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = e.getKey();
      JsonNode v = e.getValue();
      switch (f) {
        case "type" -> type = Nodes.optString(v, f);
        case "id" -> id = Nodes.optId(v, f);
        case "timestamp" -> timestamp = Nodes.optString(v, f);
        // an id of store keys and token endorsements: checked here, before authentication
        case "channelId" -> channelId = Nodes.optId(v, f);
        case "serviceUrl" -> serviceUrl = Nodes.optString(v, f);
        case "from" -> from = Nodes.optAccount(v, f);
        case "recipient" -> recipient = Nodes.optAccount(v, f);
        case "conversation" -> conversation = Nodes.optConversation(v, f, false);
        case "locale" -> locale = Nodes.optString(v, f);
        case "text" -> text = Nodes.optString(v, f);
        case "textFormat" -> textFormat = Nodes.optString(v, f);
        case "summary" -> summary = Nodes.optString(v, f);
        case "inputHint" -> inputHint = Nodes.optString(v, f);
        case "attachments" -> attachments = optArray(v, f);
        case "entities" -> entities = optArray(v, f);
        case "suggestedActions" -> suggestedActions = Nodes.value(v, f);
        case "channelData" -> channelData = Nodes.value(v, f);
        case "replyToId" -> replyToId = Nodes.optString(v, f);
        default -> extra = Nodes.putExtra(extra, "", f, v);
      }
    }
    if (type == null || type.isBlank()) {
      throw new MalformedReferenceException("type", "is required");
    }
    String ty = type;
    String i = id;
    String ts = timestamp;
    String ch = channelId;
    String su = serviceUrl;
    ChannelAccount fr = from;
    ChannelAccount re = recipient;
    ConversationAccount co = conversation;
    String lo = locale;
    String te = text;
    String tf = textFormat;
    String sm = summary;
    String ih = inputHint;
    List<@Nullable Object> at = attachments;
    List<@Nullable Object> en = entities;
    Object sa = suggestedActions;
    Object cd = channelData;
    String rt = replyToId;
    Map<String, @Nullable Object> x = extra == null ? Map.of() : extra;
    return Nodes.construct(
        "",
        () ->
            new Activity(ty, i, ts, ch, su, fr, re, co, lo, te, tf, sm, ih, at, en, sa, cd, rt, x));
  }

  @SuppressWarnings("unchecked")
  private static List<@Nullable Object> optArray(JsonNode v, String path) {
    if (v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new MalformedReferenceException(path, "must be an array but was " + Nodes.describe(v));
    }
    // an array node always reads back as a list
    return (List<@Nullable Object>) Objects.requireNonNull(Nodes.value(v, path), path);
  }
}
