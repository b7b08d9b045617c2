import MetricsCore

/// Entry point of the PromQL parser.
public enum PromQLParser {
    /// Parses one expression. Errors carry line and column.
    public static func parse(_ text: String) throws(PromQLParseError) -> Expr {
        // Skeleton: replaced by the real lexer and parser.
        throw PromQLParseError(message: "parser not implemented", line: 1, column: 1, offset: 0)
    }
}
