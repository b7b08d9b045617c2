/// The values of one series at each step of the grid, missing where it has none.
///
/// Nearly every evaluation the dashboard makes is an instant query: one step. An array of one
/// optional costs an allocation when made and a free when dropped, for every series of every
/// intermediate result (the rate of 432 buckets, then their sums, every second). So one value is
/// kept inline, and only a grid of more steps has an array.
struct StepValues: RandomAccessCollection, MutableCollection, Equatable, Sendable, ExpressibleByArrayLiteral {
    /// The value of a one-step grid (used when `isSingle`).
    private var single: Double?
    /// The values of any other grid (empty, with no storage, when `isSingle`).
    private var many: [Double?]
    private let isSingle: Bool

    /// `steps` missing values.
    init(missing steps: Int) {
        if steps == 1 {
            single = nil
            many = []
            isSingle = true
        } else {
            single = nil
            // By appending: `[Double?](repeating:count:)` goes through the standard library's
            // unspecialised path, which looks up the array's type metadata at run time.
            var values: [Double?] = []
            values.reserveCapacity(steps)
            for _ in 0..<steps { values.append(nil) }
            many = values
            isSingle = false
        }
    }

    init(_ values: [Double?]) {
        if values.count == 1 {
            single = values[0]
            many = []
            isSingle = true
        } else {
            single = nil
            many = values
            isSingle = false
        }
    }

    init(_ values: [Double]) {
        self.init(values.map { Optional($0) })
    }

    init(arrayLiteral elements: Double?...) {
        self.init(elements)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { isSingle ? 1 : many.count }

    @inline(__always)
    subscript(position: Int) -> Double? {
        get {
            if isSingle {
                precondition(position == 0, "step out of range")
                return single
            }
            return many[position]
        }
        set {
            if isSingle {
                precondition(position == 0, "step out of range")
                single = newValue
            } else {
                many[position] = newValue
            }
        }
    }

    /// Whether any step has a value.
    var hasAny: Bool { isSingle ? single != nil : many.contains { $0 != nil } }

    static func == (a: StepValues, b: StepValues) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }
}
