package io.soulgraph.graph.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphTransaction;

/**
 * A JanusGraph whose transactions' commits fail on demand: each commit first runs {@code
 * onCommit}, then asks {@code failure}; a non-null answer rolls the transaction back and is thrown.
 */
final class FailingCommits {

  private FailingCommits() {}

  static JanusGraph of(JanusGraph real, Supplier<? extends Throwable> failure, Runnable onCommit) {
    InvocationHandler graphHandler = (proxy, method, args) -> {
      Object result = invoke(real, method, args);
      if (method.getName().equals("newTransaction")) {
        return transaction((JanusGraphTransaction) result, failure, onCommit);
      }
      return result;
    };
    return (JanusGraph) Proxy.newProxyInstance(
        FailingCommits.class.getClassLoader(), new Class<?>[] {JanusGraph.class}, graphHandler);
  }

  private static JanusGraphTransaction transaction(
      JanusGraphTransaction real, Supplier<? extends Throwable> failure, Runnable onCommit) {
    InvocationHandler txHandler = (proxy, method, args) -> {
      if (method.getName().equals("commit") && (args == null || args.length == 0)) {
        onCommit.run();
        Throwable e = failure.get();
        if (e != null) {
          real.rollback();
          throw e;
        }
      }
      return invoke(real, method, args);
    };
    return (JanusGraphTransaction) Proxy.newProxyInstance(FailingCommits.class.getClassLoader(),
        new Class<?>[] {JanusGraphTransaction.class}, txHandler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
