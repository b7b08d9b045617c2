import Synchronization

/// Parsed expressions by their text: a dashboard asks the same queries every refresh and rules are
/// evaluated every few seconds all day long, so each text is parsed once.
public final class PromQLParseCache: Sendable {
    private let entries = Mutex<[String: Result<Expr, PromQLParseError>]>([:])
    /// Layouts and rule files are small; a bound keeps a pathological caller from growing it forever.
    private let maxEntries: Int

    public init(maxEntries: Int = 10_000) { self.maxEntries = maxEntries }

    public func parse(_ text: String) -> Result<Expr, PromQLParseError> {
        if let hit = entries.withLock({ $0[text] }) { return hit }
        let result: Result<Expr, PromQLParseError>
        do {
            result = .success(try PromQLParser.parse(text))
        } catch {
            result = .failure(error)
        }
        entries.withLock {
            if $0.count >= maxEntries { $0.removeAll() }
            $0[text] = result
        }
        return result
    }
}
