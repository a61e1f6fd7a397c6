package dev.beckon.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Accepted service URLs are parsed once; the cache never changes a verdict. */
class ServiceUrlCacheTest {

  @Test
  void anAcceptedValueIsParsedOnce() {
    String url = "https://smba.trafficmanager.net/amer/cache-test/";
    assertThat(ServiceUrl.parse(url)).isSameAs(ServiceUrl.parse(url));
    assertThat(ServiceUrl.problem(url)).isNull();
  }

  @Test
  void refusedValuesStayRefusedAndTheCacheIsBounded() {
    for (int i = 0; i < 3000; i++) {
      ServiceUrl.parse("https://smba.trafficmanager.net/amer/" + i + "/");
    }
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> ServiceUrl.parse("https://user:pw@smba.trafficmanager.net/"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(ServiceUrl.problem("http://smba.trafficmanager.net/")).isNotNull();
    }
    String again = "https://smba.trafficmanager.net/amer/2999/";
    assertThat(ServiceUrl.parse(again))
        .as("cached again after the cache started over")
        .isSameAs(ServiceUrl.parse(again));
  }
}
