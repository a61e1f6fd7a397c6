package dev.beckon.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.activity.Activity;
import dev.beckon.internal.json.ActivityWriter;
import java.nio.charset.StandardCharsets;

/**
 * The JSON form of an {@link Activity}: what a channel posts to a bot and what Beckon sends.
 * Unknown fields are kept and written back; reading refuses, as a {@link
 * MalformedReferenceException} naming the path, what {@link ReferenceJson} refuses (same limits,
 * strict UTF-8, well-formed UTF-16, the {@link dev.beckon.reference.ReferenceKey} rules on {@code
 * id}, {@code channelId}, {@code conversation.id} and account and tenant ids). Thread-safe.
 */
public final class ActivityJson {

  private ActivityJson() {}

  /**
   * Reads an activity from JSON text.
   *
   * @param json the activity JSON
   * @return the activity
   * @throws MalformedReferenceException naming the path when the JSON is malformed or exceeds a
   *     limit, a field has the wrong type, a string is not well-formed UTF-16, or an id breaks the
   *     {@link dev.beckon.reference.ReferenceKey} rules
   */
  public static Activity read(String json) {
    return ActivityReader.read(Nodes.parse(json));
  }

  /**
   * Reads an activity from UTF-8 JSON bytes (a request body).
   *
   * @param json the activity JSON, UTF-8 (a byte order mark is skipped)
   * @return the activity
   * @throws MalformedReferenceException naming the path when the bytes are not UTF-8, the JSON is
   *     malformed or exceeds a limit, or a field has the wrong type
   */
  public static Activity read(byte[] json) {
    return ActivityReader.read(Nodes.parse(json));
  }

  /**
   * Reads an activity from a tree already parsed by Jackson.
   *
   * @param json the activity as a JSON object
   * @return the activity
   * @throws MalformedReferenceException naming the path when the tree is not a usable activity
   */
  public static Activity read(JsonNode json) {
    if (json == null) {
      throw new MalformedReferenceException("$", "input is null");
    }
    try {
      return ActivityReader.read(json);
    } catch (StackOverflowError e) {
      // a tree built by the caller is not bounded by Beckon's parser
      throw new MalformedReferenceException("$", "input is nested too deeply");
    }
  }

  /**
   * Writes an activity as compact JSON (the wire form Beckon sends).
   *
   * @param activity the activity
   * @return JSON text
   */
  public static String write(Activity activity) {
    return new String(ActivityWriter.write(activity), StandardCharsets.UTF_8);
  }
}
