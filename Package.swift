// swift-tools-version:6.0
// Lookout: a terminal dashboard for on-call engineers.
// Dependencies flow one way: model → engine → sources → render → backend → app → executable.
import PackageDescription

let package = Package(
    name: "Lookout",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lookout", targets: ["lookout"]),
        .library(name: "LookoutEngine", targets: ["MetricsCore", "Exposition", "SeriesStore", "PromQL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.20.0"),
    ],
    targets: [
        // C bindings: typed, non-variadic wrappers only.
        .systemLibrary(
            name: "CNcursesw", pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),

        // Pure core.
        .target(name: "MetricsCore"),
        .target(name: "Exposition", dependencies: ["MetricsCore"]),
        .target(name: "SeriesStore", dependencies: ["MetricsCore", "Exposition"]),
        .target(name: "PromQL", dependencies: ["MetricsCore"]),
        .target(name: "Layouts", dependencies: ["MetricsCore", "PromQL"]),
        .target(name: "Rules", dependencies: [
            "MetricsCore", "PromQL", "SeriesStore", .product(name: "Yams", package: "Yams"),
        ]),

        // I/O at the edges.
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        .target(name: "DataSources", dependencies: [
            "MetricsCore", "Exposition", "SeriesStore", "PromQL", "HTTPClient",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Render", dependencies: []),
        .target(name: "TerminalBackend", dependencies: ["CNcursesw", "Render"]),
        .target(name: "DemoService", dependencies: [
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "FlyingSocks", package: "FlyingFox"),
        ]),
        .target(name: "App", dependencies: [
            "MetricsCore", "PromQL", "Layouts", "Rules", "DataSources", "Render", "TerminalBackend",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "lookout", dependencies: [
            "App", "Layouts", "Rules", "DataSources", "DemoService", "MetricsCore", "Render",
            "TerminalBackend", "SeriesStore", "HTTPClient",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Tests (Swift Testing). TestSupport: child processes for tests, without Foundation's Process.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MetricsCoreTests", dependencies: ["MetricsCore"]),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "MetricsCore", "TestSupport"]),
        .testTarget(name: "SeriesStoreTests", dependencies: ["SeriesStore", "MetricsCore", "Exposition", "TestSupport"]),
        .testTarget(name: "PromQLTests", dependencies: ["PromQL", "SeriesStore", "MetricsCore", "TestSupport"],
                    exclude: ["Scripts"]),
        .testTarget(name: "LayoutsTests", dependencies: [
            "Layouts", "PromQL", "MetricsCore", "Exposition", "SeriesStore", "DemoService", "TestSupport",
        ], exclude: ["Fixtures"]),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "PromQL", "SeriesStore", "MetricsCore", "TestSupport"]),
        .testTarget(name: "DataSourcesTests", dependencies: ["DataSources", "HTTPClient", "MetricsCore", "SeriesStore", "TestSupport"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "TestSupport"]),
        .testTarget(name: "DemoServiceTests", dependencies: ["DemoService", "TestSupport"]),
        .testTarget(name: "AppTests", dependencies: [
            "App", "Render", "Layouts", "MetricsCore", "TerminalBackend", "Rules",
        ]),
        .testTarget(name: "FuzzTests", dependencies: [
            "Exposition", "PromQL", "SeriesStore", "MetricsCore", "Layouts", "Rules", "DataSources", "TestSupport",
        ], exclude: ["Crashes"]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "TestSupport", "App", "Layouts", "MetricsCore", "DataSources",
        ]),
    ]
)
