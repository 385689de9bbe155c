package io.soulgraph.relay.gremlin;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.configuration2.Configuration;
import org.apache.tinkerpop.gremlin.language.grammar.GremlinBaseVisitor;
import org.apache.tinkerpop.gremlin.language.grammar.GremlinQueryParser;
import org.apache.tinkerpop.gremlin.process.traversal.Bytecode;
import org.apache.tinkerpop.gremlin.process.traversal.P;
import org.apache.tinkerpop.gremlin.process.traversal.Traversal;
import org.apache.tinkerpop.gremlin.process.traversal.TraversalStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.TraversalStrategyProxy;
import org.apache.tinkerpop.gremlin.process.traversal.util.BytecodeHelper;
import org.apache.tinkerpop.gremlin.process.traversal.util.ConnectiveP;
import org.apache.tinkerpop.gremlin.util.Tokens;
import org.apache.tinkerpop.gremlin.util.function.Lambda;
import org.apache.tinkerpop.gremlin.util.message.RequestMessage;

/**
 * What a Gremlin request may ask for unless Groovy is enabled: traversals only. Bytecode without
 * lambdas; scripts that parse as Gremlin (gremlin-lang), whatever language the driver names by
 * default; no sessions and no transactions (Gremlin here is read-only). Each refusal says what was
 * refused and why, in the client's terms.
 */
final class RequestPolicy {

  static final String GREMLIN_LANG = "gremlin-lang";
  static final String GROOVY = "gremlin-groovy";
  private static final String UNSAFE_HINT =
      " (a relay started with --gremlin-unsafe-groovy runs code for trusted clients)";

  /** A request to pass on (perhaps rewritten), or the reason it is refused. */
  record Verdict(RequestMessage request, String refusal) {
    static Verdict pass(RequestMessage request) {
      return new Verdict(request, null);
    }

    static Verdict refuse(String reason) {
      return new Verdict(null, reason);
    }

    boolean refused() {
      return refusal != null;
    }
  }

  private final boolean unsafeGroovy;

  RequestPolicy(boolean unsafeGroovy) {
    this.unsafeGroovy = unsafeGroovy;
  }

  Verdict check(RequestMessage request) {
    if (unsafeGroovy) {
      return Verdict.pass(request);
    }
    if ("session".equals(request.getProcessor())) {
      return Verdict.refuse("Sessions are not offered: Soulgraph's Gremlin is read-only and"
          + " sessionless; send each traversal on its own");
    }
    return switch (request.getOp()) {
      case Tokens.OPS_EVAL -> checkScript(request);
      case Tokens.OPS_BYTECODE -> checkBytecode(request);
      default -> Verdict.pass(request);
    };
  }

  private Verdict checkScript(RequestMessage request) {
    String language =
        request.<String>optionalArgs(Tokens.ARGS_LANGUAGE).orElse(GROOVY);
    if (!language.equals(GREMLIN_LANG) && !language.equals(GROOVY)) {
      return Verdict.refuse("Scripts in " + language + " are code and are not run; send a"
          + " Gremlin traversal (gremlin-lang) or bytecode" + UNSAFE_HINT);
    }
    Object script = request.getArgs().get(Tokens.ARGS_GREMLIN);
    if (!(script instanceof String text)) {
      return Verdict.refuse("Expected the script as text");
    }
    Optional<String> error = parseError(text);
    if (error.isPresent()) {
      return Verdict.refuse("Not a Gremlin traversal: " + error.get() + ". Scripts are parsed as"
          + " Gremlin (gremlin-lang), never run as Groovy code" + UNSAFE_HINT);
    }
    // drivers name gremlin-groovy by default; the same text is Gremlin, evaluated without Groovy
    return Verdict.pass(RequestMessage.from(request)
        .addArg(Tokens.ARGS_LANGUAGE, GREMLIN_LANG).create());
  }

  private Verdict checkBytecode(RequestMessage request) {
    Object gremlin = request.getArgs().get(Tokens.ARGS_GREMLIN);
    if (!(gremlin instanceof Bytecode bytecode)) {
      return Verdict.pass(request);
    }
    if (BytecodeHelper.isGraphOperation(bytecode)) {
      return Verdict.refuse("Transactions are not offered: Soulgraph's Gremlin is read-only");
    }
    Optional<String> foreign = foreignStrategy(bytecode);
    if (foreign.isPresent()) {
      return Verdict.refuse("Strategy " + foreign.get() + " is not a traversal strategy");
    }
    if (containsLambda(bytecode, 0)) {
      return Verdict.refuse("Lambdas are code and are not run; express the step as a"
          + " traversal" + UNSAFE_HINT);
    }
    return Verdict.pass(request);
  }

  /**
   * A strategy named by class in bytecode is built by calling its static {@code create}; only
   * traversal strategies may be named, never any other class that happens to have that method.
   */
  private static Optional<String> foreignStrategy(Bytecode bytecode) {
    for (Bytecode.Instruction instruction : bytecode.getSourceInstructions()) {
      for (Object argument : instruction.getArguments()) {
        if (argument instanceof TraversalStrategyProxy<?> proxy
            && !TraversalStrategy.class.isAssignableFrom(proxy.getStrategyClass())) {
          return Optional.of(proxy.getStrategyClass().getName());
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> parseError(String script) {
    try {
      GremlinQueryParser.parse(script, new GremlinBaseVisitor<>());
      return Optional.empty();
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Optional.of(message.lines().findFirst().orElse(message));
    }
  }

  /** Looks everywhere a lambda can hide: arguments, nested traversals, predicates, strategies. */
  private static boolean containsLambda(Object value, int depth) {
    if (value == null || depth > 64) {
      return depth > 64;
    }
    if (value instanceof Lambda) {
      return true;
    }
    if (value instanceof Bytecode bytecode) {
      for (Bytecode.Instruction instruction : bytecode.getSourceInstructions()) {
        if (containsLambda(instruction.getArguments(), depth + 1)) {
          return true;
        }
      }
      for (Bytecode.Instruction instruction : bytecode.getStepInstructions()) {
        if (containsLambda(instruction.getArguments(), depth + 1)) {
          return true;
        }
      }
      return false;
    }
    if (value instanceof Traversal<?, ?> traversal) {
      return containsLambda(traversal.asAdmin().getBytecode(), depth + 1);
    }
    if (value instanceof Bytecode.Binding<?> binding) {
      return containsLambda(binding.value(), depth + 1);
    }
    if (value instanceof ConnectiveP<?> connective) {
      return connective.getPredicates().stream().anyMatch(p -> containsLambda(p, depth + 1));
    }
    if (value instanceof P<?> predicate) {
      return containsLambda(predicate.getValue(), depth + 1);
    }
    if (value instanceof TraversalStrategyProxy<?> proxy) {
      return configurationHasLambda(proxy.getConfiguration(), depth);
    }
    if (value instanceof TraversalStrategy<?> strategy) {
      return configurationHasLambda(strategy.getConfiguration(), depth);
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream().anyMatch(
          e -> containsLambda(e.getKey(), depth + 1) || containsLambda(e.getValue(), depth + 1));
    }
    if (value instanceof Collection<?> collection) {
      return collection.stream().anyMatch(v -> containsLambda(v, depth + 1));
    }
    if (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive()) {
      for (int i = 0; i < Array.getLength(value); i++) {
        if (containsLambda(Array.get(value, i), depth + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean configurationHasLambda(Configuration configuration, int depth) {
    var keys = configuration.getKeys();
    while (keys.hasNext()) {
      if (containsLambda(configuration.getProperty(keys.next()), depth + 1)) {
        return true;
      }
    }
    return false;
  }
}
