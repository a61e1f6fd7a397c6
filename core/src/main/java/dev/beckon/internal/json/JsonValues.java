package dev.beckon.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes plain JSON values (String, Boolean, Number, List, Map, null), such as the frozen values of
 * {@link dev.beckon.internal.model.PlainValues}, exactly as they are held.
 */
public final class JsonValues {

  private JsonValues() {}

  /**
   * Writes a plain JSON value.
   *
   * @param g the generator
   * @param value the value
   * @throws IOException from the generator
   */
  public static void write(JsonGenerator g, @Nullable Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Integer i) {
      g.writeNumber(i);
    } else if (value instanceof Long l) {
      g.writeNumber(l);
    } else if (value instanceof BigInteger bi) {
      g.writeNumber(bi);
    } else if (value instanceof BigDecimal bd) {
      g.writeNumber(bd);
    } else if (value instanceof Double d) {
      g.writeNumber(d);
    } else if (value instanceof Float f) {
      g.writeNumber(f);
    } else if (value instanceof Number n) {
      g.writeNumber(n.longValue());
    } else if (value instanceof Map<?, ?> m) {
      g.writeStartObject();
      writeFields(g, m);
      g.writeEndObject();
    } else if (value instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  /**
   * Writes the entries of an object as fields of the object currently open.
   *
   * @param g the generator
   * @param m the entries
   * @throws IOException from the generator
   */
  public static void writeFields(JsonGenerator g, Map<?, ?> m) throws IOException {
    if (m.isEmpty()) {
      return;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      g.writeFieldName((String) e.getKey());
      write(g, e.getValue());
    }
  }
}
