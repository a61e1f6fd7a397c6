/**
 * Codecs for conversation references and activities: canonical v4 JSON ({@link
 * dev.beckon.codec.ReferenceJson}), the compact gzip + base64url form ({@link
 * dev.beckon.codec.CompactReference}), the legacy v3 ResumptionCookie importer ({@link
 * dev.beckon.codec.ResumptionCookies}), activity JSON ({@link dev.beckon.codec.ActivityJson}) and
 * the capture of a reference from an incoming activity ({@link dev.beckon.codec.Capture}). All
 * reading lives here; the model records ({@code dev.beckon.reference}, {@code dev.beckon.activity})
 * know no JSON. Every decoding failure is a {@link dev.beckon.codec.MalformedReferenceException}
 * naming the offending path.
 */
@NullMarked
package dev.beckon.codec;

import org.jspecify.annotations.NullMarked;
