package io.soulgraph.relay.sea;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soulgraph.relay.gun.GunCodec;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.JsJson;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import io.soulgraph.relay.gun.GunFrames;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writes into another user's space under a SEA certificate: accepted only with a certificate the
 * owner signed, naming the writer, covering the soul's path and key, not expired at the field's
 * state and without the writer on the owner's block list; everything else refused with GunDB's
 * error.
 */
final class CertificateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double STATE = 1_795_287_978_641.0;

  private final TestKeys alice = TestKeys.generate();
  private final TestKeys bob = TestKeys.generate();
  private final TestKeys carol = TestKeys.generate();
  private final Map<String, Node> stored = new HashMap<>();
  private final UserSpaceValidator validator =
      new UserSpaceValidator(soul -> Optional.ofNullable(stored.get(soul)), 1);

  @AfterEach
  void close() {
    validator.close();
  }

  private String aliceSoul(String path) {
    return "~" + alice.pub() + (path.isEmpty() ? "" : "/" + path);
  }

  private String policy(String writeJson) {
    return "{\"c\":" + JsJson.quote(bob.pub()) + ",\"w\":" + writeJson + "}";
  }

  /** The error for {@code writer}'s certified write of {@code valueJson}, or null. */
  private String write(TestKeys writer, String certificate, String soul, String key,
      String valueJson, double state) throws Exception {
    String envelope = writer.certifiedEnvelope(soul, key, valueJson, state, certificate);
    return check(soul, key, JsJson.quote(envelope), state);
  }

  private String check(String soul, String key, String wireValue, double state) throws Exception {
    Graph graph = GunCodec.readGraph(JSON.readTree(GunFrames.put("x", soul, state, key, wireValue))
        .get("put"));
    return validator.check(graph).error();
  }

  @Test
  void certifiedWrite_insideThePolicy_accepted() throws Exception {
    String cert = alice.certificate(policy("{\"*\":\"private\"}"));
    assertNull(write(bob, cert, aliceSoul(""), "private",
        Forgeries.link(aliceSoul("private")), STATE), "the link gun writes on the way down");
    assertNull(write(bob, cert, aliceSoul("private"), "asdf",
        Forgeries.link(aliceSoul("private/asdf")), STATE));
    assertNull(write(bob, cert, aliceSoul("private/asdf"), "qwerty", "\"hello\"", STATE));
  }

  @Test
  void certifiedWrite_outsideThePolicy_refused() throws Exception {
    String cert = alice.certificate(policy("{\"*\":\"private\"}"));
    assertEquals(CertificatePolicy.FAIL,
        write(bob, cert, aliceSoul("wrongway/asdf"), "qwerty", "\"x\"", STATE));
    assertEquals(CertificatePolicy.FAIL, write(bob, cert, aliceSoul(""), "name", "\"x\"", STATE));
  }

  @Test
  void certificate_forgedTamperedOrForSomeoneElse_refused() throws Exception {
    String data = policy("{\"*\":\"private\"}");
    String soul = aliceSoul("private");
    assertEquals(CertificatePolicy.FAIL,
        write(bob, bob.certificate(data), soul, "k", "1", STATE), "bob certifies himself");
    String widened = alice.certificate(data).replace("\"private\"", "\"\"");
    assertEquals(CertificatePolicy.FAIL,
        write(bob, widened, aliceSoul("other"), "k", "1", STATE), "policy widened after signing");
    assertEquals(CertificatePolicy.FAIL,
        write(carol, alice.certificate(data), soul, "k", "1", STATE), "bob's certificate, carol writes");
    String withoutSignature = "{\"m\":" + data + "}";
    assertEquals(CertificatePolicy.FAIL, write(bob, withoutSignature, soul, "k", "1", STATE));
    assertEquals(CertificatePolicy.FAIL, write(bob, "\"SEA{}\"", soul, "k", "1", STATE));
  }

  @Test
  void writerPubWithoutCertificate_refused() throws Exception {
    // GunDB 0.2020.1241 accepts this: a value signed by any key named in "*"
    String soul = aliceSoul("private");
    String envelope = "{\":\":1,\"~\":" + JsJson.quote(bob.signature(soul, "k", "1", STATE))
        + ",\"*\":" + JsJson.quote(bob.pub()) + "}";
    assertEquals(CertificatePolicy.FAIL, check(soul, "k", JsJson.quote(envelope), STATE));
  }

  @Test
  void certifiedWrite_signatureNotTheWriters_refused() throws Exception {
    String cert = alice.certificate(policy("{\"*\":\"private\"}"));
    String soul = aliceSoul("private");
    String replayed = bob.certifiedEnvelope(soul, "k", "1", STATE, cert);
    assertEquals(UserSpaceValidator.UNVERIFIED, check(soul, "k2", JsJson.quote(replayed), STATE),
        "signature replayed on another key");
    String claimsCarol = replayed.replace(bob.pub(), carol.pub());
    assertEquals(UserSpaceValidator.UNVERIFIED, check(soul, "k", JsJson.quote(claimsCarol), STATE));
    String tampered = replayed.replace("\":\":1", "\":\":2");
    assertEquals(UserSpaceValidator.UNVERIFIED, check(soul, "k", JsJson.quote(tampered), STATE));
  }

  @Test
  void expiry_comparedWithTheFieldsState() throws Exception {
    String cert = alice.certificate(
        "{\"c\":" + JsJson.quote(bob.pub()) + ",\"e\":" + JsJson.number(STATE) + ",\"w\":\"inbox\"}");
    String soul = aliceSoul("");
    assertNull(write(bob, cert, soul, "inbox", "\"at the expiry\"", STATE));
    assertEquals(CertificatePolicy.EXPIRED, write(bob, cert, soul, "inbox", "\"late\"", STATE + 1));
  }

  @Test
  void certificantInPath_enforcedBelowTheAccount_andOnlyTheDownwardLinkOnIt() throws Exception {
    String cert = alice.certificate(
        "{\"c\":\"*\",\"w\":[{\"*\":\"test\",\"+\":\"*\"},{\"*\":\"inbox\",\"+\":\"*\"}]}");
    assertNull(write(carol, cert, aliceSoul("inbox"), carol.pub(), "\"hi from carol\"", STATE));
    assertNull(write(bob, cert, aliceSoul("inbox/" + bob.pub()), "today", "\"hi\"", STATE));
    assertEquals("Path \"inbox\" or key \"" + carol.pub() + "\" must contain string \""
            + bob.pub() + "\".",
        write(bob, cert, aliceSoul("inbox"), carol.pub(), "\"impersonating carol\"", STATE));
    assertNull(write(bob, cert, aliceSoul(""), "inbox", Forgeries.link(aliceSoul("inbox")), STATE));
    assertEquals("Path \"\" or key \"inbox\" must contain string \"" + bob.pub() + "\".",
        write(bob, cert, aliceSoul(""), "inbox", Forgeries.link("mallory/inbox"), STATE),
        "repointing alice's inbox (GunDB allows this)");
  }

  @Test
  void certificants_listNamingTheWriter_accepted() throws Exception {
    String cert = alice.certificate("{\"c\":[" + JsJson.quote(carol.pub()) + ","
        + JsJson.quote(bob.pub()) + "],\"w\":{\"#\":{\"*\":\"shared\"}}}");
    assertNull(write(bob, cert, aliceSoul("shared/doc"), "title", "\"t\"", STATE));
    assertEquals(CertificatePolicy.FAIL,
        write(TestKeys.generate(), cert, aliceSoul("shared/doc"), "title", "\"t\"", STATE));
  }

  @Test
  void blockList_writerListedThere_refused() throws Exception {
    TestKeys dave = TestKeys.generate();
    String cert = alice.certificate("{\"c\":" + JsJson.quote(bob.pub())
        + ",\"w\":{\"*\":\"private\"},\"wb\":\"block\"}");
    String soul = aliceSoul("private");
    assertNull(write(bob, cert, soul, "k", "1", STATE), "no block list stored yet");
    String account = aliceSoul("");
    String daveBlock = "~" + dave.pub() + "/block";
    String link = Forgeries.link(daveBlock);
    stored.put(account, Node.empty(account)
        .with("block", Value.of(alice.envelope(account, "block", link, STATE)), STATE));
    stored.put(daveBlock, Node.empty(daveBlock)
        .with(bob.pub(), Value.of(dave.envelope(daveBlock, bob.pub(), "true", STATE)), STATE));
    assertEquals("Certificant " + bob.pub() + " blocked.", write(bob, cert, soul, "k", "1", STATE));
    stored.put(daveBlock, Node.empty(daveBlock)
        .with(bob.pub(), Value.of(dave.envelope(daveBlock, bob.pub(), "false", STATE)), STATE));
    assertNull(write(bob, cert, soul, "k", "1", STATE), "unblocked");
  }

  @Test
  void ownerWritingWithOwnPubInEnvelope_accepted() throws Exception {
    String soul = aliceSoul("profile");
    String envelope = "{\":\":1,\"~\":" + JsJson.quote(alice.signature(soul, "n", "1", STATE))
        + ",\"*\":" + JsJson.quote(alice.pub()) + "}";
    assertNull(check(soul, "n", JsJson.quote(envelope), STATE));
  }

  @Test
  void lexMatching_asGunsStringMatch() throws Exception {
    assertTrue(CertificatePolicy.matches("inbox", text("\"inbox\"")));
    assertFalse(CertificatePolicy.matches("inbox2", text("\"inbox\"")));
    assertTrue(CertificatePolicy.matches("private/a", text("{\"*\":\"private\"}")));
    assertFalse(CertificatePolicy.matches("privat", text("{\"*\":\"private\"}")));
    assertTrue(CertificatePolicy.matches("b", text("{\">\":\"a\",\"<\":\"c\"}")));
    assertFalse(CertificatePolicy.matches("d", text("{\">\":\"a\",\"<\":\"c\"}")));
    assertTrue(CertificatePolicy.matches("d", text("{\">\":\"a\"}")));
    assertFalse(CertificatePolicy.matches("x", text("{\"=\":\"y\",\"*\":\"x\"}")));
    assertFalse(CertificatePolicy.matches("x", text("{}")));
    assertFalse(CertificatePolicy.matches("x", text("5")));
    assertFalse(CertificatePolicy.matches("x", null));
  }

  private static JsonNode text(String json) throws Exception {
    return JSON.readTree(json);
  }
}
