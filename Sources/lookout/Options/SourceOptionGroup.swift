import ArgumentParser

/// Where the data comes from; shared by the dashboard, `snapshot` and `query`.
struct SourceOptionGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Query a Prometheus-compatible server (server mode).", valueName: "url"))
    var prometheus: String?

    @Option(name: .long, help: ArgumentHelp("Scrape a /metrics endpoint yourself (repeatable; embedded mode).",
                                            valueName: "[job=]url"))
    var scrape: [String] = []

    @Option(name: .long, help: ArgumentHelp("Also list the alerts and silences of this Alertmanager (API v2).",
                                            valueName: "url"))
    var alertmanager: String?

    @Option(name: .long, help: ArgumentHelp("Refresh and scrape interval (default: the layout's, else 5s).",
                                            valueName: "duration"))
    var interval: DurationArgument?

    @Option(name: .long, help: ArgumentHelp("Config file (default: $XDG_CONFIG_HOME/lookout/config.yaml).",
                                            valueName: "file"))
    var config: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("CA bundle to verify TLS servers with.", valueName: "file"))
    var caFile: String?

    @Flag(name: .long, help: "Do not verify TLS certificates (shown in the header while on).")
    var insecure = false

    @Option(name: .customLong("bearer-token-file"), help: ArgumentHelp("Send the token in this file as a bearer token.",
                                                                       valueName: "file"))
    var bearerTokenFile: String?

    @Option(name: .customLong("basic-auth-user"), help: ArgumentHelp("User for HTTP basic auth.", valueName: "user"))
    var basicAuthUser: String?

    @Option(name: .customLong("basic-auth-password-file"),
            help: ArgumentHelp("File holding the basic-auth password.", valueName: "file"))
    var basicAuthPasswordFile: String?

    func validate() throws {
        if prometheus != nil && !scrape.isEmpty {
            throw ValidationError("use either --prometheus or --scrape, not both")
        }
        if let i = interval, i.milliseconds < 100 {
            throw ValidationError("--interval must be at least 100ms")
        }
        if let url = alertmanager, !(url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://")) {
            throw ValidationError("--alertmanager: URL must start with http:// or https://")
        }
        if basicAuthPasswordFile != nil && basicAuthUser == nil {
            throw ValidationError("--basic-auth-password-file needs --basic-auth-user")
        }
    }

    var hasExplicitSource: Bool { prometheus != nil || !scrape.isEmpty }
}

/// Which layouts, over what range, with which rules.
struct LayoutOptionGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Layout name or file (repeatable; default: every layout found).",
                                            valueName: "name|path"))
    var layout: [String] = []

    @Option(name: .long, help: ArgumentHelp("Time range of graphs (default: the layout's, else 15m).",
                                            valueName: "duration"))
    var range: DurationArgument?

    @Option(name: .long, help: ArgumentHelp("Rules file to evaluate (repeatable; default: the shipped rules/).",
                                            valueName: "file"))
    var rules: [String] = []

    func validate() throws {
        if let r = range, r.milliseconds < 10_000 {
            throw ValidationError("--range must be at least 10s")
        }
    }
}
