// Node 20 lacks Promise.withResolvers (ES2024, Node 22+), which the libp2p 3.x line calls.
// Defined as the spec says, and only when missing; import it before libp2p. Node 22+ needs none.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve
      let reject
      const promise = new this((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}
