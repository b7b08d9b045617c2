/// What the user asked for with `--color`.
public enum ColorMode: String, Sendable, CaseIterable {
    case auto, always, never
}

/// How many colours the output may use.
public enum ColorDepth: Int, Sendable, Comparable {
    case none = 0
    case eight = 8
    case palette256 = 256

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
}

/// Decisions about the terminal that depend only on facts, kept pure so they can be tested.
public enum TerminalPolicy {
    /// Whether the locale's character set is UTF-8. The codeset is authoritative; the
    /// locale name is a fallback for systems where nl_langinfo answers nothing useful.
    public static func isUTF8(codeset: String, localeName: String) -> Bool {
        let normalized = { (s: String) in String(s.lowercased().filter { $0 != "-" }) }
        let c = normalized(codeset)
        if !c.isEmpty && c != "ansi_x3.41968" { return c == "utf8" }
        let name = normalized(localeName)
        return name.hasSuffix(".utf8") || name.contains(".utf8@")
    }

    /// The colour depth to use. `NO_COLOR` (any non-empty value, per no-color.org) turns colour
    /// off in `auto` mode; `--color always` overrides it; `never` always wins.
    /// `terminalColors` is what the terminal reports (0 when it has no colour support).
    public static func colorDepth(mode: ColorMode, noColor: String?, terminalColors: Int) -> ColorDepth {
        switch mode {
        case .never:
            return .none
        case .auto:
            if let v = noColor, !v.isEmpty { return .none }
            return depth(for: terminalColors)
        case .always:
            // The user insists; a terminal that reports nothing still gets the eight basic colours.
            return terminalColors >= 256 ? .palette256 : .eight
        }
    }

    static func depth(for colors: Int) -> ColorDepth {
        if colors >= 256 { return .palette256 }
        if colors >= 8 { return .eight }
        return .none
    }

    /// Colour depth for text written to a file or pipe (snapshots): `auto` gives colour only on
    /// a terminal that is not `dumb` and without `NO_COLOR`.
    public static func streamColorDepth(mode: ColorMode, noColor: String?, isTerminal: Bool,
                                        term: String?) -> ColorDepth {
        switch mode {
        case .never: return .none
        case .always: return .palette256
        case .auto:
            if let v = noColor, !v.isEmpty { return .none }
            guard isTerminal, let term, !term.isEmpty, term != "dumb" else { return .none }
            return .palette256
        }
    }
}

/// Facts about the environment gathered once at start (after the locale is set).
public struct EnvironmentFacts: Sendable {
    public var isUTF8: Bool
    public var noColor: String?
    public var term: String?
    public var stdoutIsTerminal: Bool
    public var stdinIsTerminal: Bool

    /// Sets the process locale from the environment (LANG, LC_ALL...) and reads the facts.
    public static func detect() -> EnvironmentFacts {
        Platform.adoptEnvironmentLocale()
        return EnvironmentFacts(
            isUTF8: TerminalPolicy.isUTF8(codeset: Platform.localeCodeset(),
                                          localeName: Platform.ctypeLocaleName()),
            noColor: Platform.environment("NO_COLOR"),
            term: Platform.environment("TERM"),
            stdoutIsTerminal: Platform.isTerminal(Platform.standardOutput),
            stdinIsTerminal: Platform.isTerminal(Platform.standardInput))
    }
}
