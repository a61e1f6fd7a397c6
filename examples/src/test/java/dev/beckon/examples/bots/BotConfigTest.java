package dev.beckon.examples.bots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.examples.config.BotConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration of the example bots from environment variables. */
class BotConfigTest {

  @Test
  void defaultsRunAnonymouslyOnTheEmulatorPortWithAnSqliteFile() {
    BotConfig c = BotConfig.from(Map.of());
    assertThat(c.store()).isEqualTo("jdbc:sqlite:beckon-examples.db#create");
    assertThat(c.port()).isEqualTo(3978);
    assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(c.anonymous()).isTrue();
  }

  @Test
  void readsEveryVariable() {
    BotConfig c =
        BotConfig.from(
            Map.of(
                "BECKON_STORE",
                "redis://127.0.0.1:6379/bots",
                "BECKON_PORT",
                "0",
                "MICROSOFT_APP_ID",
                "app-1",
                "MICROSOFT_APP_PASSWORD",
                "pa55word-value",
                "MICROSOFT_APP_TENANT_ID",
                "t-1",
                "BECKON_TRUSTED_HOSTS",
                "bots.example.com, *.corp.example",
                "BECKON_BIND",
                "0.0.0.0"));
    assertThat(c)
        .isEqualTo(
            new BotConfig(
                "redis://127.0.0.1:6379/bots",
                "0.0.0.0",
                0,
                "app-1",
                "pa55word-value",
                "t-1",
                List.of("bots.example.com", "*.corp.example")));
    assertThat(c.anonymous()).isFalse();
  }

  @Test
  void toStringHidesThePasswordAndStoreSecrets() {
    BotConfig c =
        BotConfig.from(
            Map.of(
                "MICROSOFT_APP_ID",
                "app-1",
                "MICROSOFT_APP_PASSWORD",
                "pa55word-value",
                "BECKON_STORE",
                "azure-table:DefaultEndpointsProtocol=http;AccountName=a;AccountKey=S3CRETKEY;Table=t"));
    assertThat(c.toString())
        .doesNotContain("pa55word-value")
        .doesNotContain("S3CRETKEY")
        .contains("app-1");
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> BotConfig.from(Map.of("BECKON_PORT", "http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("BECKON_PORT must be a port number, not 'http'");
    assertThatThrownBy(() -> BotConfig.from(Map.of("BECKON_PORT", "70000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BECKON_PORT");
    assertThatThrownBy(() -> BotConfig.from(Map.of("MICROSOFT_APP_ID", "app-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MICROSOFT_APP_PASSWORD is not");
    assertThatThrownBy(() -> BotConfig.from(Map.of("MICROSOFT_APP_PASSWORD", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MICROSOFT_APP_ID is not");
  }

  @Test
  void anUnknownStoreSchemeIsABadConfigurationNamingTheScheme() {
    assertThatThrownBy(() -> ConfiguredStore.open("mongodb://127.0.0.1/refs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown store URI scheme")
        .hasMessageContaining("use azure-table:, dynamodb:, jdbc:, redis:, rediss:");
    assertThatThrownBy(() -> ConfiguredStore.open(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConfiguredStore.open("jdbc:sqlite:x.db#tabel=x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("option 'tabel'");
  }
}
