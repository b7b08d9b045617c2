import Foundation

/// label_replace's compiled patterns by their text, kept with the memo: a dashboard's panels and a
/// group's rules give the same few patterns every evaluation, and compiling one (RE2 translated,
/// then ICU) cost more than applying it to every series.
final class LabelPatternCache: Sendable {
    /// A pattern compiled for label_replace: anchored, with its named groups' numbers.
    /// NSRegularExpression is immutable once made, and matching with it is thread-safe.
    final class Compiled: @unchecked Sendable {
        let regex: NSRegularExpression
        let names: [String: Int]

        init(regex: NSRegularExpression, names: [String: Int]) {
            self.regex = regex
            self.names = names
        }
    }

    /// Patterns kept at most; past it all go (a bound against queries made of ever new patterns).
    static let maxEntries = 256
    private let byPattern = BoundedCache<String, Compiled>(maxEntries: maxEntries)

    /// The compiled `pattern`, made by `make` the first time (a pattern that fails is not kept).
    func compiled<E: Error>(_ pattern: String, _ make: () throws(E) -> Compiled) throws(E) -> Compiled {
        try byPattern.value(pattern, make)
    }
}
