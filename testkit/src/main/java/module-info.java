/**
 * Beckon testkit: the repository contract a store runs in its own tests, sample references and the
 * fake Bot Connector and OpenID servers.
 *
 * <p>The contract classes are JUnit 5 tests and {@code FakeOpenIdServer} hands out Nimbus {@code
 * RSAKey}s, and {@code StoreArchitectureRules} hands out ArchUnit rules, so JUnit's API, Nimbus
 * JOSE+JWT and ArchUnit are required transitively.
 */
// the HttpClient 5, Jedis and AWS SDK jars name their modules only by Automatic-Module-Name
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.beckon.testkit {
  requires transitive dev.beckon.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires transitive com.nimbusds.jose.jwt;
  requires transitive com.tngtech.archunit;
  requires transitive com.tngtech.archunit.junit5.api;
  requires org.assertj.core;
  requires jdk.httpserver;
  requires java.net.http; // DirectLineChannel posts to the bot
  requires org.slf4j;
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon.testkit;
}
