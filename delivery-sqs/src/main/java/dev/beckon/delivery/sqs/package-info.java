/**
 * A {@link dev.beckon.delivery.DeliveryQueue} on Amazon SQS and DynamoDB: {@link
 * dev.beckon.delivery.sqs.SqsDeliveryQueue}. SQS carries wake-ups and leases (a received message's
 * visibility timeout); a DynamoDB table keeps each delivery's state, changed only by conditional
 * writes. See {@code docs/delivery.md}, "SQS".
 */
@NullMarked
package dev.beckon.delivery.sqs;

import org.jspecify.annotations.NullMarked;
