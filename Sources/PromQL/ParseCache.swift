/// Parsed expressions by their text: a dashboard asks the same queries every refresh and rules are
/// evaluated every few seconds all day long, so each text is parsed once.
public final class PromQLParseCache: Sendable {
    private struct Entry: Sendable {
        let result: Result<Expr, PromQLParseError>
        /// The memo's key texts of this expression, filled in by the evaluations that use it.
        let keyTexts: MemoKeyTexts
    }

    /// Layouts and rule files are small; a bound keeps a pathological caller from growing it forever.
    private let entries: BoundedCache<String, Entry>

    public init(maxEntries: Int = 10_000) { entries = BoundedCache(maxEntries: maxEntries) }

    public func parse(_ text: String) -> Result<Expr, PromQLParseError> { entry(text).result }

    /// The parsed text with the key texts to evaluate it with (`Engine.instant(_:at:keyTexts:)`).
    public func parsedWithKeys(_ text: String) -> (Result<Expr, PromQLParseError>, MemoKeyTexts) {
        let e = entry(text)
        return (e.result, e.keyTexts)
    }

    private func entry(_ text: String) -> Entry {
        entries.value(text) { () -> Entry in
            Entry(result: Result { () throws(PromQLParseError) in try PromQLParser.parse(text) }, keyTexts: MemoKeyTexts())
        }
    }
}
