// swift-tools-version: 6.1
// Benchmarks for the embedded metrics engine, kept out of the main package so that ordinary builds
// do not fetch or compile the benchmark framework. Run with
// `swift package --package-path Benchmarks benchmark` or `scripts/bench-parse.sh`.
import PackageDescription

let package = Package(
    name: "LookoutBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Named, so the product reference does not depend on the checkout's folder name.
        .package(name: "Lookout", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(name: "BenchSupport", dependencies: [.product(name: "LookoutEngine", package: "Lookout")]),
        // Plain executable used by scripts/bench-parse.sh (no benchmark framework needed).
        .executableTarget(name: "LookoutBench", dependencies: ["BenchSupport"]),
        .executableTarget(
            name: "LookoutBenchmarks",
            dependencies: ["BenchSupport", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/LookoutBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
