/**
 * Beckon in a Spring Boot application: the {@code beckon.*} properties, the {@link
 * dev.beckon.spring.boot.ActivityHandler} your bot implements, the {@link
 * dev.beckon.spring.boot.BroadcastFactory} bean, and the {@link
 * dev.beckon.spring.boot.BeckonDecorator} seam for instrumentation. The auto-configuration itself
 * is in {@code dev.beckon.spring.boot.autoconfigure}; {@code docs/spring-boot.md} lists every bean
 * and its condition.
 */
@NullMarked
package dev.beckon.spring.boot;

import org.jspecify.annotations.NullMarked;
