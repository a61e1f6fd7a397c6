package dev.beckon.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads and writes the canonical v4 ConversationReference JSON. */
public final class ReferenceCodecSupport {

  private ReferenceCodecSupport() {}

  /**
   * Reads a reference from a tree.
   *
   * @param root the JSON object
   * @return the reference
   */
  public static ConversationReference read(JsonNode root) {
    Nodes.requireObject(root, "");
    String activityId = null;
    ChannelAccount user = null;
    ChannelAccount bot = null;
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
        case "bot" -> bot = Nodes.optAccount(v, f);
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
    dev.beckon.reference.ServiceUrl.parseField(serviceUrl, "serviceUrl");
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

  /**
   * Writes a reference in canonical order: activityId, user, bot, conversation, channelId, locale,
   * serviceUrl, then unknown fields in arrival order. Absent fields are omitted.
   *
   * @param g the generator
   * @param r the reference
   * @throws IOException from the generator
   */
  public static void write(JsonGenerator g, ConversationReference r) throws IOException {
    g.writeStartObject();
    if (r.activityId() != null) {
      g.writeStringField("activityId", r.activityId());
    }
    if (r.user() != null) {
      g.writeFieldName("user");
      writeAccount(g, r.user());
    }
    if (r.bot() != null) {
      g.writeFieldName("bot");
      writeAccount(g, r.bot());
    }
    g.writeFieldName("conversation");
    writeConversation(g, r.conversation());
    g.writeStringField("channelId", r.channelId());
    if (r.locale() != null) {
      g.writeStringField("locale", r.locale());
    }
    g.writeStringField("serviceUrl", r.serviceUrl());
    JsonValues.writeFields(g, r.extra());
    g.writeEndObject();
  }

  static void writeAccount(JsonGenerator g, ChannelAccount a) throws IOException {
    g.writeStartObject();
    stringField(g, "id", a.id());
    stringField(g, "name", a.name());
    stringField(g, "aadObjectId", a.aadObjectId());
    stringField(g, "role", a.role());
    JsonValues.writeFields(g, a.extra());
    g.writeEndObject();
  }

  static void writeConversation(JsonGenerator g, ConversationAccount c) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", c.id());
    stringField(g, "name", c.name());
    if (c.isGroup() != null) {
      g.writeBooleanField("isGroup", c.isGroup());
    }
    stringField(g, "conversationType", c.conversationType());
    stringField(g, "tenantId", c.tenantId());
    stringField(g, "aadObjectId", c.aadObjectId());
    stringField(g, "role", c.role());
    JsonValues.writeFields(g, c.extra());
    g.writeEndObject();
  }

  static void stringField(JsonGenerator g, String name, @Nullable String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }
}
