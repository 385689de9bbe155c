package io.soulgraph.relay.gremlin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.tinkerpop.gremlin.process.traversal.AnonymousTraversalSource;
import org.apache.tinkerpop.gremlin.process.traversal.Bytecode;
import org.apache.tinkerpop.gremlin.process.traversal.P;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.__;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.TraversalStrategyProxy;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.decoration.SubgraphStrategy;
import org.apache.tinkerpop.gremlin.structure.util.empty.EmptyGraph;
import org.apache.tinkerpop.gremlin.util.Tokens;
import org.apache.tinkerpop.gremlin.util.function.Lambda;
import org.apache.tinkerpop.gremlin.util.message.RequestMessage;
import org.junit.jupiter.api.Test;

/** What the endpoint lets through without Groovy, request by request. */
final class RequestPolicyTest {

  private final RequestPolicy policy = new RequestPolicy(false);
  private final GraphTraversalSource g =
      AnonymousTraversalSource.traversal().withEmbedded(EmptyGraph.instance());

  private static RequestMessage script(String script, String language) {
    RequestMessage.Builder builder =
        RequestMessage.build(Tokens.OPS_EVAL).addArg(Tokens.ARGS_GREMLIN, script);
    return language == null ? builder.create()
        : builder.addArg(Tokens.ARGS_LANGUAGE, language).create();
  }

  private static RequestMessage bytecode(Bytecode bytecode) {
    return RequestMessage.build(Tokens.OPS_BYTECODE).processor("traversal")
        .addArg(Tokens.ARGS_GREMLIN, bytecode).addArg(Tokens.ARGS_ALIASES, Map.of("g", "g"))
        .create();
  }

  @Test
  void traversalScript_inTheDriversDefaultLanguage_runsAsGremlinLang() {
    RequestPolicy.Verdict verdict = policy.check(script("g.V().has('soul','a').values('x')", null));
    assertFalse(verdict.refused(), verdict.refusal());
    assertEquals("gremlin-lang", verdict.request().getArgs().get(Tokens.ARGS_LANGUAGE));
    assertFalse(policy.check(script("g.V().count()", "gremlin-groovy")).refused());
  }

  @Test
  void groovyCode_isRefusedAsNotGremlin() {
    for (String code : new String[] {"'id'.execute().text", "System.exit(0)",
        "new File('/tmp/x').text = 'y'", "graph.addVertex('node')", "def x = 1; g.V()",
        "g.V().map { it.get() }"}) {
      RequestPolicy.Verdict verdict = policy.check(script(code, null));
      assertTrue(verdict.refused(), code);
      assertTrue(verdict.refusal().startsWith("Not a Gremlin traversal"), verdict.refusal());
    }
  }

  @Test
  void otherScriptLanguages_areRefused() {
    assertTrue(policy.check(script("1+1", "gremlin-jython")).refusal().contains("are code"));
  }

  @Test
  void lambdas_areRefusedWhereverTheyHide() {
    assertTrue(policy.check(bytecode(g.V().map(Lambda.function("it")).asAdmin().getBytecode()))
        .refused());
    assertTrue(policy.check(bytecode(g.V().where(__.filter(Lambda.predicate("true")))
        .asAdmin().getBytecode())).refused());
    assertTrue(policy.check(bytecode(g.withStrategies(SubgraphStrategy.build()
        .vertices(__.filter(Lambda.predicate("true"))).create()).V().asAdmin().getBytecode()))
        .refused());
    assertFalse(policy.check(bytecode(g.V().has("soul", P.within("a", "b")).out("friend")
        .asAdmin().getBytecode())).refused());
  }

  @Test
  @SuppressWarnings({"rawtypes", "unchecked"})
  void strategyProxyNamingAnyOtherClass_isRefused() {
    Bytecode bytecode = new Bytecode();
    bytecode.addSource("withStrategies", new TraversalStrategyProxy(
        (Class) Runtime.class, new org.apache.commons.configuration2.BaseConfiguration()));
    bytecode.addStep("V");
    assertTrue(policy.check(bytecode(bytecode)).refusal().contains("java.lang.Runtime"));
  }

  @Test
  void sessionsAndTransactions_areRefused() {
    RequestMessage session = RequestMessage.build(Tokens.OPS_EVAL).processor("session")
        .addArg(Tokens.ARGS_GREMLIN, "g.V()").create();
    assertTrue(policy.check(session).refused());
    Bytecode commit = new Bytecode();
    commit.addSource("tx", "commit");
    assertTrue(policy.check(bytecode(commit)).refusal().contains("Transactions"));
  }

  @Test
  void unsafeGroovy_passesEverything() {
    RequestPolicy unsafe = new RequestPolicy(true);
    assertFalse(unsafe.check(script("'id'.execute().text", null)).refused());
    assertFalse(unsafe.check(bytecode(g.V().map(Lambda.function("it")).asAdmin().getBytecode()))
        .refused());
  }
}
