import Synchronization

/// Values made once per key and kept, for the engine's caches whose keys come from queries (parsed
/// texts, label_replace patterns): looked up under a lock, made outside it, and all dropped when
/// `maxEntries` is reached, a bound against callers sending ever new keys.
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: Value]>([:])
    let maxEntries: Int

    init(maxEntries: Int) { self.maxEntries = maxEntries }

    /// The value for `key`, made by `make` the first time (a `make` that throws keeps nothing).
    func value<E: Error>(_ key: Key, _ make: () throws(E) -> Value) throws(E) -> Value {
        if let known = entries.withLock({ $0[key] }) { return known }
        let made = try make()
        entries.withLock {
            if $0.count >= maxEntries { $0.removeAll() }
            $0[key] = made
        }
        return made
    }
}
