package dev.beckon.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The streaming read of a connector response's id. */
class JsonTest {

  @Test
  void readsATopLevelFieldSkippingNestedOnesOfTheSameName() {
    assertThat(Json.topLevelString("{\"id\":\"1712345\"}", "id")).isEqualTo("1712345");
    assertThat(
            Json.topLevelString(
                "{\"activity\":{\"id\":\"inner\"},\"list\":[{\"id\":1}],\"id\":\"outer\"}", "id"))
        .isEqualTo("outer");
    assertThat(Json.topLevelString("{\"id\":42}", "id")).isEqualTo("42");
  }

  @Test
  void answersNullForAnythingElse() {
    assertThat(Json.topLevelString(null, "id")).isNull();
    assertThat(Json.topLevelString("", "id")).isNull();
    assertThat(Json.topLevelString("not json", "id")).isNull();
    assertThat(Json.topLevelString("[\"id\"]", "id")).isNull();
    assertThat(Json.topLevelString("{\"other\":\"x\"}", "id")).isNull();
    assertThat(Json.topLevelString("{\"id\":null}", "id")).isNull();
    assertThat(Json.topLevelString("{\"id\":{\"x\":1}}", "id")).isNull();
    assertThat(Json.topLevelString("{\"a\":1,\"id\":\"trunc", "id")).isNull();
  }
}
