package dev.beckon.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.beckon.codec.MalformedReferenceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one Jackson configuration Beckon reads and writes with: strict, bounded, exact. */
public final class Json {

  /** Largest JSON document Beckon parses, in characters/bytes. */
  public static final int MAX_DOCUMENT_LENGTH = 4 * 1024 * 1024;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(128)
                  .maxNumberLength(256)
                  .maxStringLength(1_000_000)
                  .maxNameLength(10_000)
                  .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  /** Shared mapper; thread-safe once configured. Writes references with Beckon's own writer. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("beckon")
              .addSerializer(dev.beckon.reference.ConversationReference.class,
                  new com.fasterxml.jackson.databind.JsonSerializer<dev.beckon.reference.ConversationReference>() {
                    @Override
                    public void serialize(dev.beckon.reference.ConversationReference value, JsonGenerator g,
                        com.fasterxml.jackson.databind.SerializerProvider p) throws IOException {
                      ReferenceCodecSupport.write(g, value);
                    }
                  }))
          .build();

  /**
   * Writes a reference as compact JSON text through the shared mapper (buffer recycling).
   *
   * @param reference the reference
   * @return JSON text
   */
  public static String writeReference(dev.beckon.reference.ConversationReference reference) {
    try {
      return MAPPER.writeValueAsString(reference);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a reference", e);
    }
  }

  private Json() {}

  /**
   * Parses text into a tree, mapping every parser failure to {@link MalformedReferenceException}.
   *
   * @param text JSON text
   * @return the tree
   */
  public static JsonNode parse(String text) {
    if (text == null) {
      throw new MalformedReferenceException("$", "input is null");
    }
    if (text.length() > MAX_DOCUMENT_LENGTH) {
      throw new MalformedReferenceException(
          "$", "input is " + text.length() + " characters; the limit is " + MAX_DOCUMENT_LENGTH);
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new MalformedReferenceException("$", "input is empty");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new MalformedReferenceException("$", "input exceeds a size limit: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new MalformedReferenceException("$", "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (StackOverflowError e) {
      throw new MalformedReferenceException("$", "input is nested too deeply");
    }
  }

  /** Writes with a fresh generator into a byte array. */
  public static byte[] write(IOConsumer body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.accept(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A top-level string field of a JSON object, read with the streaming parser (no tree): the
   * {@code id} of a connector response, say.
   *
   * @param text JSON text, possibly empty or not JSON
   * @param field the field name
   * @return its value as text, or {@code null} when the text is not an object, lacks the field
   *     or it is null, an object or an array
   */
  public static @org.jspecify.annotations.Nullable String topLevelString(
      @org.jspecify.annotations.Nullable String text, String field) {
    if (text == null || text.isBlank() || text.length() > MAX_DOCUMENT_LENGTH) {
      return null;
    }
    try (com.fasterxml.jackson.core.JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        return null;
      }
      com.fasterxml.jackson.core.JsonToken t;
      while ((t = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        boolean wanted = field.equals(p.currentName());
        com.fasterxml.jackson.core.JsonToken v = p.nextToken();
        if (wanted) {
          return v != null && v.isScalarValue() && v != com.fasterxml.jackson.core.JsonToken.VALUE_NULL ? p.getText() : null;
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Writes pretty-printed into a byte array. */
  public static byte[] writePretty(IOConsumer body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      body.accept(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A generator callback that may throw IOException. */
  @FunctionalInterface
  public interface IOConsumer {
    /**
     * Writes.
     *
     * @param g the generator
     * @throws IOException from the generator
     */
    void accept(JsonGenerator g) throws IOException;
  }
}
