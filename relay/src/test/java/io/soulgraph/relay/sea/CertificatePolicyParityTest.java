package io.soulgraph.relay.sea;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The certificate policy is written twice, in the relay ({@link CertificatePolicy}) and in the
 * bundled client (js-client/src/certificate.js, which refuses locally what the relay would refuse
 * and checks certified writes on read). Generated certificates, souls, keys and states must get
 * the same verdict from both, or a client would write what the relay refuses, or hide what it
 * accepts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class CertificatePolicyParityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int CASES = 3000;
  private static final String OWNER = "~own.er";
  private static final String BOB = "b0b";
  private static final String[] WORDS = {"inbox", "in", "private", "", "b0b", "inbox/b0b", "z", "a"};

  @Test
  void generatedCases_sameVerdictInJavaAndInTheClient() throws Exception {
    Path script = Path.of("..", "js-client", "test", "certificate-policy-lines.mjs");
    assertTrue(Files.exists(script), "the client's policy script at " + script.toAbsolutePath());
    Random random = new Random(20261202);
    Process node = new ProcessBuilder("node", script.toString()).redirectErrorStream(true).start();
    try (Writer in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(
            new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      Set<String> verdicts = new HashSet<>();
      for (int i = 0; i < CASES; i++) {
        ObjectNode example = example(random);
        in.write(JSON.writeValueAsString(example) + "\n");
        in.flush();
        String line = out.readLine();
        assertTrue(line != null, "node answered case " + i);
        JsonNode js = JSON.readTree(line).get("error");
        String java = CertificatePolicy.check(example.get("data"), example.get("certificant").textValue(),
            example.get("soul").textValue(), example.get("key").textValue(), example.get("value"),
            example.get("state").doubleValue());
        assertEquals(java, js.isNull() ? null : js.textValue(), "case " + i + ": " + example);
        verdicts.add(java == null ? "accepted" : java.replaceAll("\".*", ""));
      }
      assertTrue(verdicts.size() >= 4, "the cases reach every verdict: " + verdicts);
    } finally {
      node.destroy();
      node.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static ObjectNode example(Random random) {
    ObjectNode data = NODES.objectNode();
    switch (random.nextInt(5)) {
      case 0 -> data.put("c", "*");
      case 1 -> data.putArray("c").add("c4rol").add(BOB);
      case 2 -> data.put("c", "c4rol");
      default -> data.put("c", BOB);
    }
    if (random.nextInt(3) == 0) {
      data.put("e", 1000 + random.nextInt(3) - 1);
    }
    if (random.nextInt(10) > 0) {
      data.set("w", random.nextBoolean() ? policy(random) : list(random));
    }
    ObjectNode example = NODES.objectNode();
    example.set("data", data);
    example.put("certificant", BOB);
    String path = random.nextInt(4) == 0 ? "" : "/" + word(random) + (random.nextBoolean() ? "" : "/" + word(random));
    String soul = OWNER + path;
    String key = random.nextInt(6) == 0 ? BOB : word(random).isEmpty() ? "k" : word(random).replace('/', '_');
    example.put("soul", soul);
    example.put("key", key);
    if (random.nextBoolean()) {
      example.putObject("value").put("#", random.nextBoolean() ? soul + "/" + key : "elsewhere");
    } else {
      example.put("value", "v");
    }
    example.put("state", 1000);
    return example;
  }

  private static ArrayNode list(Random random) {
    ArrayNode list = NODES.arrayNode();
    for (int i = random.nextInt(3); i >= 0; i--) {
      list.add(policy(random));
    }
    return list;
  }

  private static JsonNode policy(Random random) {
    if (random.nextInt(4) == 0) {
      return NODES.textNode(word(random));
    }
    ObjectNode lex = NODES.objectNode();
    switch (random.nextInt(4)) {
      case 0 -> lex.set("#", match(random));
      case 1 -> lex.set(".", match(random));
      case 2 -> {
        lex.set("#", match(random));
        lex.set(".", match(random));
      }
      default -> lex.put(random.nextBoolean() ? "*" : "=", word(random));
    }
    if (random.nextInt(3) == 0) {
      lex.put("+", "*");
    }
    return lex;
  }

  private static JsonNode match(Random random) {
    if (random.nextBoolean()) {
      return NODES.textNode(word(random));
    }
    ObjectNode lex = NODES.objectNode();
    switch (random.nextInt(4)) {
      case 0 -> lex.put("*", word(random));
      case 1 -> lex.put("=", word(random));
      case 2 -> lex.put(">", word(random)).put("<", word(random));
      default -> lex.put(random.nextBoolean() ? ">" : "<", word(random));
    }
    return lex;
  }

  private static String word(Random random) {
    return WORDS[random.nextInt(WORDS.length)];
  }
}
