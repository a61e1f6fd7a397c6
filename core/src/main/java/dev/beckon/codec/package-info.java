/**
 * Codecs for conversation references: canonical v4 JSON ({@link dev.beckon.codec.ReferenceJson}),
 * the compact gzip + base64url form ({@link dev.beckon.codec.CompactReference}) and the legacy v3
 * ResumptionCookie importer ({@link dev.beckon.codec.ResumptionCookies}). Every decoding failure is
 * a {@link dev.beckon.codec.MalformedReferenceException} naming the offending path.
 */
@NullMarked
package dev.beckon.codec;

import org.jspecify.annotations.NullMarked;
