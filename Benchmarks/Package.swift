// swift-tools-version: 6.1
import PackageDescription

/// MKT's benchmarks, in their own package so that the main build stays lean (see README.md).
///
/// - Suites (ordo-one/benchmark): `cd Benchmarks && swift package benchmark`.
/// - `ImagePreprocessing`, a plain timing executable that Compare/preprocess_compare.py runs:
///   `swift run -c release --package-path Benchmarks ImagePreprocessing LIST.txt`.
let package = Package(
    name: "MKTBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "MKT", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        suite("TensorOps", ["MKTTensor", "MKTSupport"]),
        suite("Autodiff", ["MKTTensor", "MKTNN", "MKTOptim", "MKTSupport"]),
        suite("CLIPForward", ["MKTTensor", "MKTNN", "MKTCLIP", "MKTTokenizer", "MKTSupport"]),
        suite("ImageDecode", ["MKTImage"]),
        suite("Metrics", ["MKTMetrics"]),
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "Benchmark", package: "benchmark")],
            path: "Support/BenchmarkSupport"),
        .executableTarget(
            name: "ImagePreprocessing",
            dependencies: [.product(name: "MKTImage", package: "MKT")],
            path: "Tools/ImagePreprocessing"),   // not directly under Benchmarks/: the plugin would take it for a suite
    ],
    swiftLanguageModes: [.v6]
)

/// One suite: an executable at `Benchmarks/<name>/<name>.swift` run by the benchmark plugin.
func suite(_ name: String, _ modules: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: modules.map { .product(name: $0, package: "MKT") }
            + [.product(name: "Benchmark", package: "benchmark"), "BenchmarkSupport"],
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}
