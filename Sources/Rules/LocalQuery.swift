import MetricsCore
import PromQL
import SeriesStore
import Synchronization

extension RuleTestRunner {
    /// A runner on a fresh unbounded `MemoryStore` per test group (`lookout test`).
    public init() {
        self.init(makeStorage: { MemoryStore(options: .unbounded) })
    }
}

extension RuleManager {
    /// The query function for embedded mode: each rule expression is parsed (once, then cached)
    /// and evaluated by the local engine over `storage`, the store the layouts query too.
    public static func localQuery(storage: any SeriesQueryable, options: EngineOptions = EngineOptions()) -> RuleQueryFunction {
        let engine = Engine(storage: storage, options: options)
        let cache = ParsedExpressionCache()
        return { expr, time in
            switch cache.parse(expr) {
            case .failure(let e):
                return .failure(QueryFailure(kind: .parse, message: e.description, location: "expr \(e.line):\(e.column)"))
            case .success(let parsed):
                do throws(PromQLEvalError) {
                    return .success(try engine.instant(parsed, at: time).value)
                } catch {
                    return .failure(QueryFailure(kind: .evaluation, message: error.message))
                }
            }
        }
    }
}

/// Parsed rule expressions by text: rules are evaluated every few seconds all day long.
final class ParsedExpressionCache: Sendable {
    private let entries = Mutex<[String: Result<Expr, PromQLParseError>]>([:])
    /// Rule files are small; a bound keeps a pathological caller from growing it forever.
    private let maxEntries = 10_000

    func parse(_ text: String) -> Result<Expr, PromQLParseError> {
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
