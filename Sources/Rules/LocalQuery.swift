import MetricsCore
import PromQL
import SeriesStore

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
        let cache = PromQLParseCache()
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
