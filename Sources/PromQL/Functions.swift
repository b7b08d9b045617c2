/// The signature of a PromQL function: argument types, how many trailing arguments are optional,
/// and the return type. Mirrors Prometheus' function table so that calls are type-checked at parse time.
public struct FunctionSignature: Sendable, Hashable {
    public let name: String
    public let argTypes: [ValueType]
    /// 0: fixed arity; n > 0: the last n arguments are optional; -1: the last type repeats without limit.
    public let variadic: Int
    public let returnType: ValueType

    public static func lookup(_ name: String) -> FunctionSignature? { table[name] }

    /// Every function the parser accepts.
    public static var all: [FunctionSignature] { Array(table.values) }

    private static let table: [String: FunctionSignature] = {
        var t: [String: FunctionSignature] = [:]
        func add(_ name: String, _ args: [ValueType], _ ret: ValueType = .vector, variadic: Int = 0) {
            t[name] = FunctionSignature(name: name, argTypes: args, variadic: variadic, returnType: ret)
        }
        let v = ValueType.vector, m = ValueType.matrix, s = ValueType.scalar, str = ValueType.string
        for name in ["abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "absent",
                     "sort", "sort_desc", "timestamp", "deg", "rad",
                     "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                     "histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar"] {
            add(name, [v])
        }
        for name in ["rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
                     "absent_over_time", "present_over_time", "avg_over_time", "min_over_time", "max_over_time",
                     "sum_over_time", "count_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time",
                     "first_over_time", "mad_over_time", "ts_of_max_over_time", "ts_of_min_over_time",
                     "ts_of_last_over_time", "ts_of_first_over_time"] {
            add(name, [m])
        }
        for name in ["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"] {
            add(name, [v], variadic: 1)
        }
        add("clamp", [v, s, s])
        add("clamp_min", [v, s])
        add("clamp_max", [v, s])
        add("round", [v, s], variadic: 1)
        add("scalar", [v], s)
        add("vector", [s])
        add("time", [], s)
        add("pi", [], s)
        // Query-level values of Prometheus 3's duration expressions, usable as ordinary scalars.
        for name in ["start", "end", "range", "step"] { add(name, [], s) }
        add("min_of", [s, s], s, variadic: -1)
        add("max_of", [s, s], s, variadic: -1)
        add("predict_linear", [m, s])
        add("quantile_over_time", [s, m])
        add("histogram_quantile", [s, v])
        add("histogram_fraction", [s, s, v])
        add("histogram_quantiles", [v, str, s], variadic: -1)
        add("double_exponential_smoothing", [m, s, s])
        add("label_replace", [v, str, str, str, str])
        add("label_join", [v, str, str, str], variadic: -1)
        add("sort_by_label", [v, str], variadic: -1)
        add("sort_by_label_desc", [v, str], variadic: -1)
        add("info", [v, v], variadic: 1)
        return t
    }()
}
