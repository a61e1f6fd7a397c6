package dev.beckon.delivery;

/**
 * Where a delivery is. {@link #PENDING} is the only state that is not final: every other state is
 * reached once and never left (except by an explicit {@link DeliveryQueue#retry retry}).
 */
public enum DeliveryState {
  /** Waiting for its time, for a worker, for a retry, or being sent right now. */
  PENDING,
  /** The Bot Connector accepted it; {@link DeliveryStatus#activityId()} is the new activity. */
  DELIVERED,
  /**
   * The conversation is gone (the user blocked or removed the bot, the conversation was deleted) or
   * its reference no longer exists; the worker deleted the stale reference.
   */
  GONE,
  /**
   * Refused for good (rejected, forbidden, unauthorized, an unreadable stored row): not retried.
   */
  FAILED,
  /**
   * It may or may not have been delivered (a timeout after the request left, or a worker that died
   * during its send). Not sent again unless the worker was built to resend such deliveries.
   */
  UNKNOWN,
  /** Every attempt allowed was throttled or failed transiently, or its deadline passed. */
  DEAD,
  /** Cancelled before it was sent. */
  CANCELLED;

  /**
   * Whether this state is final.
   *
   * @return true for every state but {@link #PENDING}
   */
  public boolean terminal() {
    return this != PENDING;
  }
}
