package io.soulgraph.relay.sea;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import io.soulgraph.relay.gun.GunFrames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every generated forgery is refused with its error; every valid write it came from passes, and
 * so do valid writes under a certificate.
 */
final class ForgeryCorpusTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Graph graphOf(Forgeries.Write write) throws Exception {
    String frame = GunFrames.put("x", write.soul(), write.state(), write.key(), write.valueJson());
    return GunCodec.readGraph(JSON.readTree(frame).get("put"));
  }

  @Test
  void corpus_everyForgeryRefused_everyValidWriteAccepted() throws Exception {
    Forgeries corpus = new Forgeries(13, 1_795_287_978_641.0);
    String alias = "victim";
    String account = "~" + corpus.victimPub();
    Node claimed = Node.empty("~@" + alias).with(account, Value.link(account), 1);
    try (UserSpaceValidator validator =
        new UserSpaceValidator(soul -> soul.equals("~@" + alias) ? Optional.of(claimed) : Optional.empty(), 1)) {
      // valid writes first: the memo of verified signatures is warm when the replays come
      for (Forgeries.Write write : corpus.valid(200)) {
        assertEquals(null, validator.check(graphOf(write)).error(), write.toString());
      }
      for (Forgeries.Write write : corpus.certified(40)) {
        assertEquals(null, validator.check(graphOf(write)).error(), write.toString());
      }
      List<Forgeries.Write> forged = corpus.forged(80, alias);
      assertTrue(forged.size() >= 1000, "corpus size " + forged.size());
      Map<String, Integer> refusedByKind = new TreeMap<>();
      for (Forgeries.Write write : forged) {
        Verdict verdict = validator.check(graphOf(write));
        assertEquals(write.expectedError(), verdict.error(), write.kind() + " " + write);
        assertTrue(verdict.accepted().isEmpty(), write.kind());
        refusedByKind.merge(write.kind(), 1, Integer::sum);
      }
      assertEquals(21, refusedByKind.size(), refusedByKind.toString());
      for (Forgeries.Write write : corpus.valid(200)) {
        assertEquals(null, validator.check(graphOf(write)).error(), "again, from the memo");
      }
      assertEquals(null, validator.check(graphOf(corpus.aliasClaim(alias))).error());
    }
  }
}
