package dev.beckon.codec;

/**
 * Under which name a reference's bot account is written: {@code bot} (Bot Framework v4, what
 * botbuilder reads and writes), {@code agent} (what the Microsoft 365 Agents SDK reads and writes)
 * or both.
 *
 * <p>Reading accepts either name always: {@code agent} is read as the bot. A reference that holds
 * both must name the same account under both, or it is refused as malformed. Beckon's canonical
 * form stays {@link #BOT}; choose {@link #BOTH} for a store shared with Agents SDK bots (the Agents
 * SDK cannot send from a reference without {@code agent}, and botbuilder ignores it), {@link
 * #AGENT} for one read by the Agents SDK only.
 *
 * <pre>{@code
 * String shared = ReferenceJson.write(reference, BotField.BOTH);
 * // or for a whole store:
 * StoreOptions.defaults().withBotField(BotField.BOTH)
 * }</pre>
 */
public enum BotField {
  /** {@code "bot"} only: the canonical v4 form. */
  BOT,
  /** {@code "agent"} only: the Agents SDK's form. */
  AGENT,
  /** {@code "bot"} and then {@code "agent"}, the same account under both names. */
  BOTH;

  /**
   * Whether the {@code bot} field is written.
   *
   * @return true for {@link #BOT} and {@link #BOTH}
   */
  public boolean writesBot() {
    return this != AGENT;
  }

  /**
   * Whether the {@code agent} field is written.
   *
   * @return true for {@link #AGENT} and {@link #BOTH}
   */
  public boolean writesAgent() {
    return this != BOT;
  }
}
