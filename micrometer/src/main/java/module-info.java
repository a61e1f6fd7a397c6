/**
 * Micrometer Observations and meters for Beckon: sends, store operations, token acquisition,
 * retries and broadcast progress, without Spring. Tracing comes from whatever tracing handler the
 * user's {@code ObservationRegistry} carries (micrometer-tracing with its OpenTelemetry or Brave
 * bridge). The Observation, meter and key types are in the API's signatures, so the Micrometer
 * modules are required transitively.
 */
// Micrometer's jars name their modules only by Automatic-Module-Name
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.beckon.micrometer {
  requires transitive dev.beckon.core;
  requires transitive micrometer.observation;
  requires transitive micrometer.core;
  requires transitive micrometer.commons; // KeyValues and KeyName are in the API
  requires org.slf4j;
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon.micrometer;
}
