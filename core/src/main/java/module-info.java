/**
 * Beckon core: conversation references, their codecs and stores' contract, validated capture and
 * proactive sending over the Bot Connector API.
 *
 * <p>Only the API packages are exported; {@code dev.beckon.internal.*} is the implementation and
 * stays unreachable from other modules. Jackson's {@code JsonNode} appears in the API ({@code
 * Capture.reference}, {@code ActivityJson.read}, {@code ReferenceJson.read}), so Jackson databind
 * is required transitively.
 */
// the HttpClient 5, Jedis and AWS SDK jars name their modules only by Automatic-Module-Name
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.beckon.core {
  requires transitive com.fasterxml.jackson.databind;
  requires com.nimbusds.jose.jwt;
  requires java.net.http;
  // Apache HttpClient 5 and HttpCore 5 carry Automatic-Module-Name (no module-info of their own)
  requires org.apache.httpcomponents.client5.httpclient5;
  requires org.apache.httpcomponents.core5.httpcore5;
  requires org.apache.httpcomponents.core5.httpcore5.h2;
  requires org.slf4j;
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon;
  exports dev.beckon.activity;
  exports dev.beckon.auth;
  exports dev.beckon.broadcast;
  exports dev.beckon.codec;
  exports dev.beckon.delivery;
  exports dev.beckon.delivery.memory;
  exports dev.beckon.delivery.spi;
  exports dev.beckon.inbound;
  exports dev.beckon.reference;
  exports dev.beckon.retry;
  exports dev.beckon.send;
  exports dev.beckon.send.transport;
  exports dev.beckon.store;
  exports dev.beckon.store.memory;
  exports dev.beckon.store.spi;
}
