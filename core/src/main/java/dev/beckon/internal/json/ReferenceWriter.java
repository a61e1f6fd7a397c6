package dev.beckon.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Writes the canonical v4 ConversationReference JSON (reading it is {@code dev.beckon.codec}'s).
 */
public final class ReferenceWriter {

  private ReferenceWriter() {}

  /**
   * Writes a reference in canonical order: activityId, user, bot, conversation, channelId, locale,
   * serviceUrl, then unknown fields in arrival order. Absent fields are omitted.
   *
   * @param g the generator
   * @param r the reference
   * @throws IOException from the generator
   */
  public static void write(JsonGenerator g, ConversationReference r) throws IOException {
    write(g, r, true, false);
  }

  /**
   * Writes a reference in canonical order with the bot account under {@code bot}, {@code agent}
   * (the Agents SDK's name) or both, in that order, at the place of {@code bot}.
   *
   * @param g the generator
   * @param r the reference
   * @param asBot whether to write {@code bot}
   * @param asAgent whether to write {@code agent}
   * @throws IOException from the generator
   */
  public static void write(JsonGenerator g, ConversationReference r, boolean asBot, boolean asAgent)
      throws IOException {
    g.writeStartObject();
    if (r.activityId() != null) {
      g.writeStringField("activityId", r.activityId());
    }
    if (r.user() != null) {
      g.writeFieldName("user");
      writeAccount(g, r.user());
    }
    if (r.bot() != null && asBot) {
      g.writeFieldName("bot");
      writeAccount(g, r.bot());
    }
    if (r.bot() != null && asAgent) {
      g.writeFieldName("agent");
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
