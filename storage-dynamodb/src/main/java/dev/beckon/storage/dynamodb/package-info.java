/**
 * Beckon's reference store on Amazon DynamoDB: {@link
 * dev.beckon.storage.dynamodb.DynamoDbReferenceRepository}, over a {@code DynamoDbClient} you build
 * (AWS SDK for Java v2); and fleet-wide token buckets for {@code SendLimiter.fleet}, {@link
 * dev.beckon.storage.dynamodb.DynamoDbTokenBuckets}, over the same client. The module does not
 * bring an HTTP client: add {@code software.amazon.awssdk:url-connection-client} (smallest), {@code
 * apache5-client} or {@code aws-crt-client}.
 */
@NullMarked
package dev.beckon.storage.dynamodb;

import org.jspecify.annotations.NullMarked;
