package dev.beckon.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Plain JSON values (String, Boolean, Number, List, Map, null): deep-frozen copies, conversion
 * from Jackson trees, and writing. Frozen values keep insertion order and allow JSON nulls.
 */
public final class JsonValues {

  private JsonValues() {}

  /**
   * A deep, immutable, order-keeping copy of a JSON object.
   *
   * @param map the object, {@code null} is taken as empty
   * @param path where it sits, for error messages
   * @return the frozen object
   * @throws IllegalArgumentException naming the path when a value is not a plain JSON value
   */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> freezeObject(
      @Nullable Map<String, ? extends @Nullable Object> map, String path) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    if (map instanceof FrozenObject) {
      return (Map<String, @Nullable Object>) map;
    }
    LinkedHashMap<String, @Nullable Object> copy = new LinkedHashMap<>(map.size() * 2);
    for (Map.Entry<String, ? extends @Nullable Object> e : map.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException(path + " has a null key");
      }
      copy.put(e.getKey(), freeze(e.getValue(), path + "." + e.getKey()));
    }
    return new FrozenObject(copy);
  }

  /**
   * A deep, immutable copy of a JSON array.
   *
   * @param list the array, {@code null} is taken as empty
   * @param path where it sits, for error messages
   * @return the frozen array
   */
  @SuppressWarnings("unchecked")
  public static List<@Nullable Object> freezeList(@Nullable List<? extends @Nullable Object> list, String path) {
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    if (list instanceof FrozenArray) {
      return (List<@Nullable Object>) list;
    }
    ArrayList<@Nullable Object> copy = new ArrayList<>(list.size());
    int i = 0;
    for (Object o : list) {
      copy.add(freeze(o, path + "[" + i++ + "]"));
    }
    return new FrozenArray(copy);
  }

  /**
   * A deep, immutable copy of any JSON value.
   *
   * @param value the value
   * @param path where it sits, for error messages
   * @return the frozen value
   */
  @SuppressWarnings("unchecked")
  public static @Nullable Object freeze(@Nullable Object value, String path) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger
        || value instanceof BigDecimal
        || value instanceof Short
        || value instanceof Byte) {
      return value;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(path + " is " + d + ", which JSON cannot represent");
      }
      return value;
    }
    if (value instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) {
        if (!(k instanceof String)) {
          throw new IllegalArgumentException(path + " has a key that is not a string: " + k);
        }
      }
      return freezeObject((Map<String, ?>) m, path);
    }
    if (value instanceof List<?> l) {
      return freezeList(l, path);
    }
    throw new IllegalArgumentException(
        path + " is a " + value.getClass().getName()
            + "; only String, Boolean, Number, List, Map and null are JSON values");
  }

  /**
   * Converts a Jackson tree node to a frozen plain value.
   *
   * @param node the node
   * @return the value
   */
  public static @Nullable Object fromNode(JsonNode node) {
    switch (node.getNodeType()) {
      case STRING:
        return node.textValue();
      case BOOLEAN:
        return node.booleanValue();
      case NUMBER:
        if (node.isInt()) {
          return node.intValue();
        }
        if (node.isLong()) {
          return node.longValue();
        }
        if (node.isBigInteger()) {
          return node.bigIntegerValue();
        }
        return node.decimalValue();
      case OBJECT: {
        if (node.isEmpty()) {
          return new FrozenObject(new LinkedHashMap<>());
        }
        LinkedHashMap<String, @Nullable Object> m = new LinkedHashMap<>(node.size() * 2);
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          m.put(e.getKey(), fromNode(e.getValue()));
        }
        return new FrozenObject(m);
      }
      case ARRAY: {
        ArrayList<@Nullable Object> l = new ArrayList<>(node.size());
        for (JsonNode n : node) {
          l.add(fromNode(n));
        }
        return new FrozenArray(l);
      }
      default:
        return null;
    }
  }

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

  /** An immutable, order-keeping JSON object that allows null values. */
  private static final class FrozenObject extends AbstractMap<String, @Nullable Object> {
    private final Map<String, @Nullable Object> delegate;

    FrozenObject(LinkedHashMap<String, @Nullable Object> delegate) {
      this.delegate = Collections.unmodifiableMap(delegate);
    }

    @Override
    public Set<Entry<String, @Nullable Object>> entrySet() {
      return delegate.entrySet();
    }

    @Override
    public @Nullable Object get(Object key) {
      return delegate.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return delegate.containsKey(key);
    }

    @Override
    public int size() {
      return delegate.size();
    }
  }

  /** An immutable JSON array that allows null elements. */
  private static final class FrozenArray extends AbstractList<@Nullable Object>
      implements java.util.RandomAccess {
    private final List<@Nullable Object> delegate;

    FrozenArray(List<@Nullable Object> delegate) {
      this.delegate = delegate;
    }

    @Override
    public @Nullable Object get(int index) {
      return delegate.get(index);
    }

    @Override
    public int size() {
      return delegate.size();
    }
  }
}
