package dev.beckon.examples.bots;

import dev.beckon.activity.Activity;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.ConversationParameters;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoredReference;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A 1:1 message to a member of a group: in a group chat or a Teams channel, {@code @bot dm me}
 * makes the bot open a personal conversation with the member who asked ({@code POST
 * /v3/conversations} with that member and the tenant), save its reference — so any process can
 * message that person privately later — and say hello there.
 *
 * <p>Run: {@code scripts/example.sh group-dm}. In Teams the bot must be installed in the team or
 * chat; the Emulator's conversations are 1:1 already, so there the bot says so.
 */
public final class GroupMemberDirectBot implements CaptureHandler.ActivityListener {

  private final ReferenceRepository repository;
  private final Sender sender;
  private final Consumer<String> log;

  /**
   * Creates the bot.
   *
   * @param repository where references are kept
   * @param sender how it speaks
   * @param log where it narrates what it does
   */
  public GroupMemberDirectBot(ReferenceRepository repository, Sender sender, Consumer<String> log) {
    this.repository = repository;
    this.sender = sender;
    this.log = log;
  }

  @Override
  public void onActivity(
      Activity activity,
      @Nullable ConversationReference reference,
      CaptureHandler.Outcome outcome) {
    if (reference == null || !"message".equals(activity.type())) {
      return;
    }
    Turn turn = new Turn(sender, activity, reference);
    if (!turn.command().equals("dm me")) {
      turn.answer("Mention me with \"dm me\" in a group and I'll message you privately.");
      return;
    }
    ChannelAccount member = activity.from();
    if (!isGroup(reference) || member == null || member.id() == null) {
      turn.answer("We are already talking privately.");
      return;
    }
    String tenant = tenantId(reference, activity);
    SendOutcome created =
        sender.createConversation(
            reference,
            ConversationParameters.oneOnOne(ChannelAccount.of(member.id(), member.name()), tenant));
    if (!created.delivered() || created.conversation() == null) {
      turn.answer(
          "I could not message you privately: "
              + created.kind()
              + (created.errorCode() == null ? "" : " " + created.errorCode()));
      return;
    }
    StoredReference personal = repository.save(created.conversation());
    String name = member.name() == null ? "" : " " + member.name();
    SendOutcome hello =
        sender.send(
            personal.reference(),
            Activity.message(
                "Hi" + name + " — this is the private message you asked for in the group."));
    log.accept(
        "1:1 with "
            + member.id()
            + " saved as "
            + personal.reference().conversation().id()
            + "; hello "
            + hello.kind());
    turn.answer(
        hello.delivered()
            ? "I've sent you a private message" + name + "."
            : "I could not message you privately: " + hello.kind());
  }

  private static boolean isGroup(ConversationReference reference) {
    String type = reference.conversation().conversationType();
    return Boolean.TRUE.equals(reference.conversation().isGroup())
        || "groupChat".equals(type)
        || "channel".equals(type);
  }

  /** The tenant: the conversation's, else Teams' {@code channelData.tenant.id}. */
  static @Nullable String tenantId(ConversationReference reference, Activity activity) {
    if (reference.conversation().tenantId() != null) {
      return reference.conversation().tenantId();
    }
    if (activity.channelData() instanceof Map<?, ?> data
        && data.get("tenant") instanceof Map<?, ?> tenant
        && tenant.get("id") instanceof String id) {
      return id;
    }
    return null;
  }

  /**
   * Runs the bot on {@code 127.0.0.1:3978} (see {@link BotHost}).
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    BotHost.runUntilStopped(
        "Beckon example: 1:1 with a group member",
        host -> new GroupMemberDirectBot(host.repository(), host.sender(), System.out::println),
        System.out);
  }
}
