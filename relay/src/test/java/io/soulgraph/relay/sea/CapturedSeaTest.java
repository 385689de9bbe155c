package io.soulgraph.relay.sea;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SEA frames GunDB's clients and a raw client sent to a stock GunDB relay (captures {@code
 * 03-…} and {@code 06-…}): the validator accepts what GunDB accepted and refuses what it refused,
 * with the same error text.
 */
final class CapturedSeaTest {

  private final UserSpaceValidator validator = new UserSpaceValidator(soul -> Optional.empty(), 1);

  @AfterEach
  void close() {
    validator.close();
  }

  @Test
  void realGunClient_accountCreationProfileAndHash_allAccepted() throws Exception {
    Map<String, Graph> puts = CapturedFrames.puts("03-sea-user-create-and-signed-puts.txt");
    assertEquals(5, puts.size());
    for (Map.Entry<String, Graph> put : puts.entrySet()) {
      Verdict verdict = validator.check(put.getValue());
      assertNull(verdict.error(), put.getKey());
      assertEquals(put.getValue(), verdict.accepted(), put.getKey());
    }
  }

  @Test
  void rawClientExperiments_sameAnswersAsGunDb() throws Exception {
    Map<String, Graph> puts = CapturedFrames.puts("06-raw-sea-forgery-experiments.txt");
    Map<String, String> expected =
        Map.ofEntries(
            Map.entry("sea-ok", ""),
            Map.entry("sea-unsigned", UserSpaceValidator.UNVERIFIED),
            Map.entry("sea-badsig", UserSpaceValidator.UNVERIFIED),
            Map.entry("sea-badpub", UserSpaceValidator.ACCOUNT_NOT_SAME),
            Map.entry("sea-legacy", UserSpaceValidator.UNVERIFIED),
            Map.entry("sea-mixed", UserSpaceValidator.UNVERIFIED),
            Map.entry("alias-ok", ""),
            Map.entry("alias-bad", UserSpaceValidator.ALIAS_NOT_SAME),
            // GunDB sent nothing here only because HAM dropped it first; it is no link
            Map.entry("alias-bad2", UserSpaceValidator.ALIAS_NOT_SAME),
            Map.entry("hash-ok", ""),
            Map.entry("hash-hex", ""),
            Map.entry("hash-prefixed", ""),
            Map.entry("hash-bad", UserSpaceValidator.HASH_NOT_SAME));
    assertEquals(expected.keySet(), puts.keySet());
    expected.forEach(
        (id, error) -> {
          Verdict verdict = validator.check(puts.get(id));
          assertEquals(error.isEmpty() ? null : error, verdict.error(), id);
        });
  }

  @Test
  void mixedPut_keepsOnlyTheSignedField() throws Exception {
    Graph mixed = CapturedFrames.puts("06-raw-sea-forgery-experiments.txt").get("sea-mixed");
    Verdict verdict = validator.check(mixed);
    Node node = verdict.accepted().nodes().values().iterator().next();
    assertEquals(java.util.Set.of("good2"), node.fields().keySet());
    assertEquals(1, verdict.refusedFields());
  }

  @Test
  void aliasHijack_secondKeyForAClaimedAlias_refused() throws Exception {
    Graph claim = CapturedFrames.puts("06-raw-sea-forgery-experiments.txt").get("alias-ok");
    String bob = "~ofpSoIjjxu5EKHYNiyXQ8vaMRSZY7T4hEJAxzmux9_0.Q6HMoQy0A98ROJX-v6_kLa2mpul9dPgsTARF9bfi414";
    String mallory = "~" + TestKeys.generate().pub();
    Node held = Node.empty("~@bob").with(bob, Value.link(bob), 1);
    try (UserSpaceValidator withBob = new UserSpaceValidator(soul -> Optional.of(held), 1)) {
      assertNull(withBob.check(claim).error(), "the holder may re-put its own link");
      Graph hijack = Graph.of(Node.empty("~@bob").with(mallory, Value.link(mallory), 2));
      Verdict verdict = withBob.check(hijack);
      assertEquals(UserSpaceValidator.ALIAS_TAKEN, verdict.error());
      assertTrue(verdict.accepted().isEmpty());
    }
    Graph twoAtOnce =
        Graph.of(
            Node.empty("~@eve").with(bob, Value.link(bob), 1).with(mallory, Value.link(mallory), 1));
    assertEquals(UserSpaceValidator.ALIAS_TAKEN, validator.check(twoAtOnce).error());
  }

  @Test
  void ownerRule_matchesSeaOptPub() {
    String pub = "UO84q0L67Y7sRKo38tZ_KHK0R4Z0wnxg4iSzVmeZhKg.FgSF9c2Tt_3vpxLKsGhaCxLQaDsTzoJt_W4yqrr4Lr4";
    assertEquals(pub, SoulOwner.of("~" + pub));
    assertEquals(pub, SoulOwner.of("~" + pub + "/profile"));
    assertEquals(pub, SoulOwner.of("posts~" + pub));
    assertNull(SoulOwner.of("plain/soul"));
    assertNull(SoulOwner.of("~single"));
    assertFalse(SoulOwner.isAccount("~" + pub + "/profile", pub));
  }
}
