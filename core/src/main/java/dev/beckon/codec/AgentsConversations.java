package dev.beckon.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.internal.json.Json;
import dev.beckon.internal.json.ReferenceWriter;
import dev.beckon.internal.json.UnreadableJsonException;
import dev.beckon.internal.model.PlainValues;
import dev.beckon.internal.model.TextRules;
import dev.beckon.reference.ConversationReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The Microsoft 365 Agents SDK's stored {@code Proactive} conversations: read them into references
 * (an import) and write references in their shape (an export).
 *
 * <p>The Agents SDK (JS 1.8) keeps one item per conversation under the storage key {@code
 * proactive/conversations/{conversation id}}, shaped {@code {__link, reference, claims, eTag}}:
 * {@code reference} is a v4 reference whose bot account is named {@code agent}, {@code claims} the
 * inbound token's payload ({@code aud} = the app id, {@code tid} = the tenant). {@link #read} takes
 *
 * <ul>
 *   <li>a storage dump, one object keyed by storage key (a {@code FileStorage} {@code state.json},
 *       a {@code MemoryStorage} snapshot): keys without the prefix are other bot state, counted in
 *       {@link Report#otherKeys()} and otherwise ignored;
 *   <li>a JSON array of items ({@code {reference, claims}}, as {@code Conversation.toJson()}
 *       gives);
 *   <li>one item.
 * </ul>
 *
 * <p>Each item is checked as the Agents SDK checks it ({@code reference.conversation.id}, {@code
 * reference.serviceUrl} and a non-empty {@code claims.aud}) and as Beckon reads any reference
 * ({@link ReferenceJson}); under a storage key, the key must name the reference's conversation. An
 * item that fails is skipped with its reason ({@link Report#skipped()}); one bad item never stops
 * the rest. Bounds: the input at most {@link #DEFAULT_MAX_BYTES} (or the limit given), an item at
 * most {@value #MAX_ITEM_CHARS} characters nested at most {@value Json#MAX_NESTING_DEPTH} deep (the
 * input as a whole at most {@value #MAX_SCAN_DEPTH}). Input that is not JSON at all, or over the
 * limit, raises {@link MalformedReferenceException}; JSON that breaks off midway keeps the items
 * read before the break and reports the rest as one skipped entry.
 *
 * <p><b>Where the claims go.</b> Of the claims, only {@code aud} and {@code tid} are kept (what
 * routing needs: {@link dev.beckon.auth.TokenRoute}); the others ({@code iss}, {@code nbf}, {@code
 * exp}, {@code serviceurl}, …) describe one inbound request and are dropped. They are kept in the
 * reference as one extension field, {@value #CLAIMS_FIELD}{@code : {"aud": …, "tid": …}}, at the
 * end of its canonical JSON: botbuilder-js keeps unknown fields as they are, botbuilder-java's
 * mapper ignores unknown properties, so the JSON stays a v4 reference for both. Beckon never sends
 * it: an activity is addressed from the reference's modelled fields only. {@link #write} moves it
 * back into the item's {@code claims}.
 *
 * <p>All methods are thread-safe.
 */
public final class AgentsConversations {

  /** The Agents SDK's storage key prefix of a stored conversation. */
  public static final String KEY_PREFIX = "proactive/conversations/";

  /** The reference's extension field holding the routing claims ({@code aud}, {@code tid}). */
  public static final String CLAIMS_FIELD = "claims";

  /** Default largest input: 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  /** Largest input any call accepts: 1 GiB. */
  public static final long MAX_BYTES = 1024L * 1024 * 1024;

  /** Largest item, in characters of its JSON. */
  public static final int MAX_ITEM_CHARS = 64 * 1024;

  /** At most this many skipped items are listed in a report (all are counted). */
  public static final int MAX_LISTED_SKIPS = 1000;

  private static final int MAX_SHOWN_KEY = 160;

  /**
   * Deepest nesting the scan over the whole input tolerates: deeper than an item may be ({@value
   * Json#MAX_NESTING_DEPTH}, which skips that item alone), shallow enough to bound the parser's
   * memory. Input nested deeper stops the read there.
   */
  static final int MAX_SCAN_DEPTH = 10_000;

  private static final JsonFactory STREAM =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_SCAN_DEPTH)
                  .maxNumberLength(PlainValues.MAX_NUMBER_LENGTH)
                  .maxStringLength(1_000_000)
                  .maxNameLength(10_000)
                  .maxDocumentLength(MAX_BYTES)
                  .build())
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private AgentsConversations() {}

  /**
   * One stored conversation, read.
   *
   * @param key its storage key, or {@code [i]} for the i-th element of an array, or {@code $} for a
   *     single item
   * @param reference the reference, its bot from {@code agent}, carrying the routing claims in its
   *     {@value #CLAIMS_FIELD} field
   * @param appId {@code claims.aud}
   * @param tenantId {@code claims.tid}, or {@code null}
   */
  public record Item(
      String key, ConversationReference reference, String appId, @Nullable String tenantId) {

    /**
     * Checks the parts.
     *
     * @param key its storage key
     * @param reference the reference
     * @param appId {@code claims.aud}
     * @param tenantId {@code claims.tid}, or {@code null}
     */
    public Item {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(appId, "appId");
    }
  }

  /**
   * An item that was not read, and why.
   *
   * @param key its storage key (printable: control characters escaped, at most 160 characters),
   *     {@code [i]} for an array element, {@code $} for the input as a whole
   * @param reason why, naming the field
   */
  public record Skipped(String key, String reason) {

    /**
     * Checks the parts.
     *
     * @param key its storage key
     * @param reason why
     */
    public Skipped {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * What a read found.
   *
   * @param items the conversations read, in input order
   * @param skipped the first {@value #MAX_LISTED_SKIPS} items skipped, with reasons
   * @param skippedCount how many items were skipped in all
   * @param otherKeys how many keys of a storage dump were not proactive conversations
   */
  public record Report(List<Item> items, List<Skipped> skipped, long skippedCount, long otherKeys) {

    /**
     * Freezes the lists.
     *
     * @param items the conversations read
     * @param skipped the skipped items listed
     * @param skippedCount how many were skipped in all
     * @param otherKeys keys that were not proactive conversations
     */
    public Report {
      items = List.copyOf(items);
      skipped = List.copyOf(skipped);
    }
  }

  // ------------------------------------------------------------------ reading

  /**
   * Reads stored conversations from UTF-8 JSON (see the class comment for the shapes).
   *
   * @param json a storage dump, an array of items or one item
   * @return the report
   * @throws MalformedReferenceException when the input is not UTF-8, not JSON, not an object or
   *     array, or over {@link #DEFAULT_MAX_BYTES}
   */
  public static Report read(byte[] json) {
    Objects.requireNonNull(json, "json");
    if (json.length > DEFAULT_MAX_BYTES) {
      throw tooLarge(DEFAULT_MAX_BYTES);
    }
    return readText(decode(json));
  }

  /**
   * Reads stored conversations from a stream (not closed).
   *
   * @param in UTF-8 JSON
   * @param maxBytes the largest input read, at most {@link #MAX_BYTES}
   * @return the report
   * @throws IOException when the stream fails
   * @throws MalformedReferenceException when the input is not UTF-8, not JSON, not an object or
   *     array, or over {@code maxBytes}
   */
  public static Report read(InputStream in, long maxBytes) throws IOException {
    Objects.requireNonNull(in, "in");
    if (maxBytes < 1 || maxBytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "maxBytes must be 1.." + MAX_BYTES + " but was " + maxBytes);
    }
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBytes + 1));
    if (bytes.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    return readText(decode(bytes));
  }

  private static MalformedReferenceException tooLarge(long limit) {
    return new MalformedReferenceException("$", "input is over the limit of " + limit + " bytes");
  }

  private static String decode(byte[] bytes) {
    try {
      String text = Json.text(bytes);
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (UnreadableJsonException e) {
      throw new MalformedReferenceException("$", String.valueOf(e.getMessage()), e);
    }
  }

  /** Collects items and skips. */
  private static final class Collector {
    final List<Item> items = new ArrayList<>();
    final List<Skipped> skipped = new ArrayList<>();
    long skippedCount;
    long otherKeys;

    void skip(String key, String reason) {
      skippedCount++;
      if (skipped.size() < MAX_LISTED_SKIPS) {
        skipped.add(new Skipped(shown(key), reason));
      }
    }

    Report report() {
      return new Report(items, skipped, skippedCount, otherKeys);
    }
  }

  private static Report readText(String text) {
    Collector c = new Collector();
    try (JsonParser p = STREAM.createParser(text)) {
      JsonToken first;
      try {
        first = p.nextToken();
      } catch (JsonProcessingException e) {
        throw new MalformedReferenceException("$", "not valid JSON: " + e.getOriginalMessage(), e);
      }
      if (first == JsonToken.START_ARRAY) {
        readArray(p, text, c);
      } else if (first == JsonToken.START_OBJECT) {
        readObject(p, text, c);
      } else {
        throw new MalformedReferenceException(
            "$",
            first == null
                ? "input is empty"
                : "must be an object keyed by storage key, an array of items or one item");
      }
    } catch (IOException e) {
      // a String source: only a parse failure lands here
      c.skip("$", "not valid JSON after the items read: " + message(e) + " (the rest is not read)");
    }
    return c.report();
  }

  private static void readArray(JsonParser p, String text, Collector c) throws IOException {
    long i = 0;
    JsonToken t;
    while ((t = next(p, c, "[" + i + "]")) != JsonToken.END_ARRAY) {
      if (t == null) {
        return;
      }
      String key = "[" + i++ + "]";
      @Nullable JsonNode item = itemTree(p, text, c, key);
      if (item != null) {
        item(key, null, item, c);
      }
    }
    trailing(p, c);
  }

  private static void readObject(JsonParser p, String text, Collector c) throws IOException {
    Set<String> seen = new HashSet<>();
    boolean single = false;
    JsonToken t;
    while ((t = next(p, c, "$")) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (seen.isEmpty() && isItemField(name)) {
        single = true;
        break;
      }
      JsonToken value = next(p, c, name);
      if (value == null) {
        return;
      }
      if (!seen.add(name)) {
        c.skip(name, "the key is given twice (the first one is kept)");
        p.skipChildren();
        continue;
      }
      if (!name.startsWith(KEY_PREFIX)) {
        c.otherKeys++;
        p.skipChildren();
        continue;
      }
      @Nullable JsonNode item = itemTree(p, text, c, name);
      if (item != null) {
        item(name, name.substring(KEY_PREFIX.length()), item, c);
      }
    }
    if (single) {
      // one item: {__link?, reference, claims, eTag?}
      if (text.length() > MAX_ITEM_CHARS) {
        c.skip("$", "the item is over " + MAX_ITEM_CHARS + " characters");
        return;
      }
      JsonNode tree;
      try {
        tree = Json.parse(text);
      } catch (UnreadableJsonException e) {
        c.skip("$", String.valueOf(e.getMessage()));
        return;
      }
      item("$", null, tree, c);
      return;
    }
    if (t != null) {
      trailing(p, c);
    }
  }

  private static boolean isItemField(String name) {
    return name.equals("reference")
        || name.equals("claims")
        || name.equals("__link")
        || name.equals("eTag");
  }

  /** The next token, or null after reporting a parse failure. */
  private static @Nullable JsonToken next(JsonParser p, Collector c, String where)
      throws IOException {
    try {
      return p.nextToken();
    } catch (JsonProcessingException e) {
      c.skip(where, "not valid JSON: " + message(e) + " (the rest is not read)");
      return null;
    }
  }

  private static void trailing(JsonParser p, Collector c) throws IOException {
    try {
      if (p.nextToken() != null) {
        c.skip("$", "text after the end of the JSON value (not read)");
      }
    } catch (JsonProcessingException e) {
      c.skip("$", "text after the end of the JSON value (not read)");
    }
  }

  /**
   * Parses the value at the parser's current token, bounded: skips over it first to learn its span,
   * then parses that span with the strict reader. Null after reporting a skip.
   */
  private static @Nullable JsonNode itemTree(JsonParser p, String text, Collector c, String key)
      throws IOException {
    long start = p.currentTokenLocation().getCharOffset();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      c.skip(key, "the item must be an object");
      return null;
    }
    p.skipChildren();
    long end = p.currentLocation().getCharOffset();
    if (start < 0 || end < start || end > text.length()) {
      c.skip(key, "the item cannot be located in the input");
      return null;
    }
    if (end - start > MAX_ITEM_CHARS) {
      c.skip(key, "the item is over " + MAX_ITEM_CHARS + " characters");
      return null;
    }
    try {
      return Json.parse(text.substring((int) start, (int) end));
    } catch (UnreadableJsonException e) {
      c.skip(key, String.valueOf(e.getMessage()));
      return null;
    }
  }

  private static String message(IOException e) {
    if (e instanceof StreamConstraintsException s) {
      return "a size limit is exceeded: " + s.getOriginalMessage();
    }
    return String.valueOf(
        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
  }

  /** Reads one item tree; adds it or a skip. */
  private static void item(
      String key, @Nullable String keyConversationId, JsonNode item, Collector c) {
    try {
      c.items.add(readItem(key, keyConversationId, item));
    } catch (MalformedReferenceException e) {
      c.skip(key, e.path() + ": " + problem(e));
    } catch (StackOverflowError e) {
      c.skip(key, "the item is nested too deeply");
    }
  }

  private static Item readItem(String key, @Nullable String keyConversationId, JsonNode item) {
    JsonNode ref = item.get("reference");
    if (ref == null || ref.isNull()) {
      throw new MalformedReferenceException("reference", "is required");
    }
    if (!ref.isObject()) {
      throw new MalformedReferenceException("reference", "must be an object");
    }
    ConversationReference reference;
    try {
      reference = ReferenceReader.read(ref);
    } catch (MalformedReferenceException e) {
      String path = e.path().isEmpty() || e.path().equals("$") ? "" : "." + e.path();
      throw new MalformedReferenceException("reference" + path, problem(e), e);
    }
    JsonNode claims = item.get("claims");
    if (claims == null || !claims.isObject()) {
      throw new MalformedReferenceException(
          "claims", claims == null ? "is required" : "must be an object");
    }
    String aud = audience(claims.get("aud"));
    if (aud == null) {
      throw new MalformedReferenceException(
          "claims.aud", "is required: the app id the conversation belongs to");
    }
    checkId(aud, "claims.aud");
    JsonNode tidNode = claims.get("tid");
    String tid = null;
    if (tidNode != null && !tidNode.isNull()) {
      if (!tidNode.isTextual()) {
        throw new MalformedReferenceException("claims.tid", "must be a string");
      }
      tid = tidNode.textValue();
      checkId(tid, "claims.tid");
      if (tid.isEmpty()) {
        tid = null;
      }
    }
    if (keyConversationId != null && !keyConversationId.equals(reference.conversation().id())) {
      throw new MalformedReferenceException(
          "reference.conversation.id",
          "is not the conversation its storage key names (the item is another conversation's)");
    }
    return new Item(key, withClaims(reference, aud, tid), aud, tid);
  }

  private static String problem(MalformedReferenceException e) {
    String m = String.valueOf(e.getMessage());
    String prefix = "Malformed input at '" + e.path() + "': ";
    return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : String.valueOf(m);
  }

  /** The Agents SDK's reading of {@code aud}: a non-empty string, or an array's first element. */
  private static @Nullable String audience(@Nullable JsonNode aud) {
    if (aud == null) {
      return null;
    }
    if (aud.isArray() && !aud.isEmpty()) {
      aud = aud.get(0);
    }
    if (aud == null || !aud.isTextual() || aud.textValue().isEmpty()) {
      return null;
    }
    return aud.textValue();
  }

  private static void checkId(String s, String path) {
    String problem = TextRules.idProblem(s, false);
    if (problem != null) {
      throw new MalformedReferenceException(path, problem);
    }
  }

  /** A storage key safe to print: control characters escaped, at most 160 characters. */
  static String shown(String key) {
    StringBuilder b = new StringBuilder(Math.min(key.length(), MAX_SHOWN_KEY) + 8);
    for (int i = 0; i < key.length() && b.length() < MAX_SHOWN_KEY; i++) {
      char ch = key.charAt(i);
      if (ch < 0x20 || ch == 0x7f || Character.isSurrogate(ch) || (ch >= 0x80 && ch < 0xa0)) {
        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    if (b.length() >= MAX_SHOWN_KEY && key.length() > MAX_SHOWN_KEY) {
      b.append('…');
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ claims in a reference

  /**
   * The reference with the routing claims in its {@value #CLAIMS_FIELD} field (replacing any
   * there).
   *
   * @param reference the reference
   * @param appId the app id ({@code aud})
   * @param tenantId the tenant ({@code tid}), or {@code null}
   * @return the copy
   * @throws IllegalArgumentException when an id breaks the id rules (NUL, over 4,096 characters)
   */
  public static ConversationReference withClaims(
      ConversationReference reference, String appId, @Nullable String tenantId) {
    Objects.requireNonNull(reference, "reference");
    TextRules.requireId(appId, "appId", true);
    TextRules.requireId(tenantId, "tenantId", false);
    Map<String, @Nullable Object> claims = new LinkedHashMap<>();
    claims.put("aud", appId);
    if (tenantId != null) {
      claims.put("tid", tenantId);
    }
    Map<String, @Nullable Object> extra = new LinkedHashMap<>(reference.extra());
    extra.remove(CLAIMS_FIELD);
    extra.put(CLAIMS_FIELD, claims);
    return copy(reference, extra);
  }

  /**
   * The reference without its {@value #CLAIMS_FIELD} field.
   *
   * @param reference the reference
   * @return the copy, or the reference itself when it has none
   */
  public static ConversationReference withoutClaims(ConversationReference reference) {
    if (!reference.extra().containsKey(CLAIMS_FIELD)) {
      return reference;
    }
    Map<String, @Nullable Object> extra = new LinkedHashMap<>(reference.extra());
    extra.remove(CLAIMS_FIELD);
    return copy(reference, extra);
  }

  private static ConversationReference copy(
      ConversationReference r, Map<String, @Nullable Object> extra) {
    return new ConversationReference(
        r.activityId(),
        r.user(),
        r.bot(),
        r.conversation(),
        r.channelId(),
        r.locale(),
        r.serviceUrl(),
        extra);
  }

  /**
   * The app id the reference's claims name ({@code claims.aud}), if it carries claims.
   *
   * @param reference the reference
   * @return the app id, or empty
   */
  public static Optional<String> appId(ConversationReference reference) {
    return claim(reference, "aud");
  }

  /**
   * The tenant the reference's claims name ({@code claims.tid}), if it carries claims.
   *
   * @param reference the reference
   * @return the tenant, or empty
   */
  public static Optional<String> tenantId(ConversationReference reference) {
    return claim(reference, "tid");
  }

  private static Optional<String> claim(ConversationReference reference, String name) {
    if (reference.extra().get(CLAIMS_FIELD) instanceof Map<?, ?> m
        && m.get(name) instanceof String s
        && !s.isEmpty()) {
      return Optional.of(s);
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes references as an Agents SDK storage dump, the {@code FileStorage} {@code state.json}
   * form: one object keyed by {@code proactive/conversations/{conversation id}}, each item {@code
   * {reference, claims}} with the bot account as {@code agent} and {@code claims} from the
   * reference's {@value #CLAIMS_FIELD} field (else {@code aud} = {@code defaultAppId} and {@code
   * tid} = {@code conversation.tenantId}). No {@code eTag} (FileStorage writes none) and no {@code
   * __link} (telemetry). The Agents SDK keys by conversation id alone: a second reference with the
   * same conversation id (another channel) is skipped, as is one with no app id.
   *
   * @param references the references
   * @param defaultAppId the app id for references without claims, or {@code null} to skip them
   * @param out where to write UTF-8 JSON (not closed)
   * @return how many were written and which were skipped
   * @throws IOException when writing fails
   */
  public static Report write(
      Iterable<ConversationReference> references, @Nullable String defaultAppId, OutputStream out)
      throws IOException {
    Objects.requireNonNull(out, "out");
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      return write(references, defaultAppId, g);
    }
  }

  /**
   * Writes references as an Agents SDK storage dump to a character stream, as {@link
   * #write(Iterable, String, OutputStream)} does.
   *
   * @param references the references
   * @param defaultAppId the app id for references without claims, or {@code null} to skip them
   * @param out where to write the JSON (not closed)
   * @return how many were written and which were skipped
   * @throws IOException when writing fails
   */
  public static Report write(
      Iterable<ConversationReference> references, @Nullable String defaultAppId, java.io.Writer out)
      throws IOException {
    Objects.requireNonNull(out, "out");
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      return write(references, defaultAppId, g);
    }
  }

  private static Report write(
      Iterable<ConversationReference> references, @Nullable String defaultAppId, JsonGenerator g)
      throws IOException {
    Objects.requireNonNull(references, "references");
    if (defaultAppId != null) {
      TextRules.requireId(defaultAppId, "defaultAppId", true);
    }
    Collector c = new Collector();
    Set<String> keys = new HashSet<>();
    {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      for (ConversationReference r : references) {
        String key = KEY_PREFIX + r.conversation().id();
        String aud = appId(r).orElse(defaultAppId);
        if (aud == null) {
          c.skip(
              key,
              "no app id: the reference carries no claims.aud and no default app id was given");
          continue;
        }
        if (!keys.add(key)) {
          c.skip(
              key,
              "another reference has the same conversation id (the Agents SDK keys by it alone)");
          continue;
        }
        String tid = appId(r).isPresent() ? tenantId(r).orElse(null) : r.conversation().tenantId();
        g.writeFieldName(key);
        g.writeStartObject();
        g.writeFieldName("reference");
        ReferenceWriter.write(g, withoutClaims(r), false, true);
        g.writeFieldName("claims");
        g.writeStartObject();
        g.writeStringField("aud", aud);
        if (tid != null) {
          g.writeStringField("tid", tid);
        }
        g.writeEndObject();
        g.writeEndObject();
        c.items.add(new Item(key, r, aud, tid));
      }
      g.writeEndObject();
    }
    return c.report();
  }
}
