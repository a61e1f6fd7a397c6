package dev.beckon.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.beckon.internal.model.PlainValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson configuration Beckon reads and writes with: strict, bounded, exact.
 *
 * <p>Every limit on the input is one of Jackson's {@link StreamReadConstraints}: document length
 * ({@value #MAX_DOCUMENT_LENGTH}), nesting depth ({@value #MAX_NESTING_DEPTH}), tokens ({@value
 * #MAX_TOKEN_COUNT}), string length, field name length and number length ({@value
 * PlainValues#MAX_NUMBER_LENGTH} characters). Duplicate field names are refused ({@link
 * StreamReadFeature#STRICT_DUPLICATE_DETECTION}), as is anything after the value. Numbers are read
 * exactly ({@link java.math.BigDecimal}, never {@code double}); what else a number must satisfy is
 * in {@link PlainValues}. Bytes must be UTF-8 (a leading byte order mark is skipped); malformed
 * UTF-8 is refused, never replaced.
 */
public final class Json {

  /** Largest JSON document Beckon parses, in characters/bytes. */
  public static final int MAX_DOCUMENT_LENGTH = 4 * 1024 * 1024;

  /** Deepest nesting of arrays and objects accepted. */
  public static final int MAX_NESTING_DEPTH = 128;

  /** Most tokens in one document (bounds the tree built from it, such as a huge array). */
  public static final long MAX_TOKEN_COUNT = 250_000;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxTokenCount(MAX_TOKEN_COUNT)
                  .maxNumberLength(PlainValues.MAX_NUMBER_LENGTH)
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
          .addModule(
              new com.fasterxml.jackson.databind.module.SimpleModule("beckon")
                  .addSerializer(
                      dev.beckon.reference.ConversationReference.class,
                      new com.fasterxml.jackson.databind.JsonSerializer<
                          dev.beckon.reference.ConversationReference>() {
                        @Override
                        public void serialize(
                            dev.beckon.reference.ConversationReference value,
                            JsonGenerator g,
                            com.fasterxml.jackson.databind.SerializerProvider p)
                            throws IOException {
                          ReferenceWriter.write(g, value);
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
   * Parses text into a tree, mapping every parser failure to {@link UnreadableJsonException}.
   *
   * @param text JSON text, optionally after one byte order mark (U+FEFF)
   * @return the tree
   * @throws UnreadableJsonException when the text is not one JSON value within the limits
   */
  public static JsonNode parse(String text) {
    if (text == null) {
      throw new UnreadableJsonException("input is null");
    }
    if (text.length() > MAX_DOCUMENT_LENGTH) {
      throw new UnreadableJsonException(
          "input is " + text.length() + " characters; the limit is " + MAX_DOCUMENT_LENGTH);
    }
    try {
      // one leading byte order mark is skipped, whether the text came as bytes or as a String
      JsonNode node = MAPPER.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
      if (node == null || node.isMissingNode()) {
        throw new UnreadableJsonException("input is empty");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new UnreadableJsonException("input exceeds a size limit: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new UnreadableJsonException("not valid JSON: " + e.getOriginalMessage(), e);
    } catch (NumberFormatException e) {
      // Jackson cannot make a BigDecimal of a number whose exponent exceeds an int: 1e9999999999
      throw new UnreadableJsonException(
          "a number is out of range: its exponent does not fit a Java BigDecimal", e);
    } catch (StackOverflowError e) {
      throw new UnreadableJsonException("input is nested too deeply");
    }
  }

  /**
   * Parses UTF-8 bytes into a tree: strict UTF-8, then {@link #parse(String)}.
   *
   * @param utf8 JSON as UTF-8, optionally after a byte order mark
   * @return the tree
   * @throws UnreadableJsonException when the bytes are not UTF-8 or not one JSON value
   */
  public static JsonNode parse(byte[] utf8) {
    return parse(text(utf8));
  }

  /**
   * Decodes UTF-8 strictly: malformed or unmappable bytes are refused, never replaced by U+FFFD. A
   * byte order mark stays in the text ({@link #parse(String)} skips it).
   *
   * @param utf8 the bytes
   * @return the text
   * @throws UnreadableJsonException naming the byte offset of the first bad byte
   */
  public static String text(byte[] utf8) {
    if (utf8 == null) {
      throw new UnreadableJsonException("input is null");
    }
    if (utf8.length > MAX_DOCUMENT_LENGTH) {
      throw new UnreadableJsonException(
          "input is " + utf8.length + " bytes; the limit is " + MAX_DOCUMENT_LENGTH);
    }
    java.nio.charset.CharsetDecoder decoder =
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(utf8);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(utf8.length);
    java.nio.charset.CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      throw new UnreadableJsonException("not valid UTF-8 at byte " + in.position());
    }
    out.flip();
    return out.toString();
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
   * A top-level string field of a JSON object, read with the streaming parser (no tree): the {@code
   * id} of a connector response, say.
   *
   * @param text JSON text, possibly empty or not JSON
   * @param field the field name
   * @return its value as text, or {@code null} when the text is not an object, lacks the field or
   *     it is null, an object or an array
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
          return v != null
                  && v.isScalarValue()
                  && v != com.fasterxml.jackson.core.JsonToken.VALUE_NULL
              ? p.getText()
              : null;
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
