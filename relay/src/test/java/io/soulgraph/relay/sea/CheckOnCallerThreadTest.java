package io.soulgraph.relay.sea;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.JsJson;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link UserSpaceValidator#check} as a synchronous caller (a gossipsub topic validator) uses it:
 * decided on the caller's thread, with or without the validator's pool, and a verdict that tells
 * a forgery (the sender's fault) from a refusal that only this relay's store explains.
 */
final class CheckOnCallerThreadTest {

  private static final double STATE = 1_795_287_978_641.0;

  private final TestKeys owner = TestKeys.generate();
  private final TestKeys intruder = TestKeys.generate();

  @Test
  void check_decidesOnTheCallersThread_evenWithThePoolClosed() {
    AtomicReference<Thread> readOn = new AtomicReference<>();
    UserSpaceValidator validator = new UserSpaceValidator(soul -> {
      readOn.set(Thread.currentThread());
      return Optional.empty();
    }, 1);
    validator.close();
    String account = "~" + owner.pub();
    Node signed = Node.empty(account + "/profile").with("name",
        Value.of(owner.envelope(account + "/profile", "name", JsJson.quote("Ann"), STATE)), STATE);
    Node claim = Node.empty("~@ann").with(account, Value.link(account), STATE);
    Verdict verdict = validator.check(Graph.of(signed, claim));
    assertNull(verdict.error());
    assertSame(Thread.currentThread(), readOn.get(), "the alias list was read on this thread");
  }

  @Test
  void verdict_forgery_isTheSendersFault() {
    try (UserSpaceValidator validator = new UserSpaceValidator(soul -> Optional.empty(), 1)) {
      String soul = "~" + owner.pub();
      Node forged = Node.empty(soul).with("name",
          Value.of(intruder.envelope(soul, "name", JsJson.quote("x"), STATE)), STATE);
      Verdict verdict = validator.check(Graph.of(forged));
      assertTrue(verdict.refused());
      assertTrue(verdict.senderAtFault());
      assertFalse(verdict.refusedOnLocalState());
    }
  }

  @Test
  void verdict_aliasTakenHere_isLocalState_notTheSendersFault() {
    String held = "~" + owner.pub();
    Node current = Node.empty("~@ann").with(held, Value.link(held), STATE);
    try (UserSpaceValidator validator =
        new UserSpaceValidator(soul -> soul.equals("~@ann") ? Optional.of(current) : Optional.empty(), 1)) {
      String other = "~" + intruder.pub();
      Verdict verdict = validator.check(Graph.of(Node.empty("~@ann").with(other, Value.link(other), STATE)));
      assertEquals(UserSpaceValidator.ALIAS_TAKEN, verdict.error());
      assertTrue(verdict.refusedOnLocalState());
      assertFalse(verdict.senderAtFault());

      String soul = "~" + owner.pub();
      Node forged = Node.empty(soul).with("name", Value.of(JsJson.quote("unsigned")), STATE);
      Verdict mixed = validator.check(Graph.of(Node.empty("~@ann").with(other, Value.link(other), STATE))
          .join(Graph.of(forged)));
      assertTrue(mixed.senderAtFault(), "a forgery beside it is still the sender's fault");
    }
  }
}
