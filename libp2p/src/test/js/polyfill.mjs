// Node 20 lacks Promise.withResolvers (ES2024, Node 22+), which the libp2p 3.x line calls.
// Defined exactly as the spec says, and only when missing. Import this before anything else.
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
