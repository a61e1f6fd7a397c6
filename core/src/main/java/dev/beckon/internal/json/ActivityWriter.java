package dev.beckon.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.beckon.activity.Activity;
import java.io.IOException;

/**
 * Writes activities in the field order the official SDKs put on the wire: type, id, timestamp,
 * serviceUrl, channelId, from, conversation, recipient, locale, text, textFormat, summary,
 * inputHint, attachments, entities, suggestedActions, channelData, replyToId, then unknown fields.
 * Absent fields and empty lists are omitted.
 */
public final class ActivityWriter {

  private ActivityWriter() {}

  /**
   * Writes an activity as compact UTF-8 JSON.
   *
   * @param a the activity
   * @return UTF-8 bytes
   */
  public static byte[] write(Activity a) {
    return Json.write(g -> write(g, a));
  }

  /**
   * Writes an activity to a generator.
   *
   * @param g the generator
   * @param a the activity
   * @throws IOException from the generator
   */
  public static void write(JsonGenerator g, Activity a) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", a.type());
    ReferenceWriter.stringField(g, "id", a.id());
    ReferenceWriter.stringField(g, "timestamp", a.timestamp());
    ReferenceWriter.stringField(g, "serviceUrl", a.serviceUrl());
    ReferenceWriter.stringField(g, "channelId", a.channelId());
    if (a.from() != null) {
      g.writeFieldName("from");
      ReferenceWriter.writeAccount(g, a.from());
    }
    if (a.conversation() != null) {
      g.writeFieldName("conversation");
      ReferenceWriter.writeConversation(g, a.conversation());
    }
    if (a.recipient() != null) {
      g.writeFieldName("recipient");
      ReferenceWriter.writeAccount(g, a.recipient());
    }
    ReferenceWriter.stringField(g, "locale", a.locale());
    ReferenceWriter.stringField(g, "text", a.text());
    ReferenceWriter.stringField(g, "textFormat", a.textFormat());
    ReferenceWriter.stringField(g, "summary", a.summary());
    ReferenceWriter.stringField(g, "inputHint", a.inputHint());
    if (!a.attachments().isEmpty()) {
      g.writeFieldName("attachments");
      JsonValues.write(g, a.attachments());
    }
    if (!a.entities().isEmpty()) {
      g.writeFieldName("entities");
      JsonValues.write(g, a.entities());
    }
    if (a.suggestedActions() != null) {
      g.writeFieldName("suggestedActions");
      JsonValues.write(g, a.suggestedActions());
    }
    if (a.channelData() != null) {
      g.writeFieldName("channelData");
      JsonValues.write(g, a.channelData());
    }
    ReferenceWriter.stringField(g, "replyToId", a.replyToId());
    JsonValues.writeFields(g, a.extra());
    g.writeEndObject();
  }
}
