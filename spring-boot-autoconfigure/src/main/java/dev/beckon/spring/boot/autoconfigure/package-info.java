/**
 * The auto-configuration classes, listed in {@code
 * META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}: {@link
 * dev.beckon.spring.boot.autoconfigure.BeckonAutoConfiguration} (properties, store, token, sender,
 * broadcasts, decorators), {@link dev.beckon.spring.boot.autoconfigure.BeckonWebAutoConfiguration}
 * (the inbound endpoint) and {@link
 * dev.beckon.spring.boot.autoconfigure.BeckonHealthAutoConfiguration} (the health indicator). Not
 * for direct use: exclude or replace them the Spring Boot way.
 */
@NullMarked
package dev.beckon.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
