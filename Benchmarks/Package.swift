// swift-tools-version: 6.1
import PackageDescription

/// Benchmarks for MKT, kept out of the main package so that its build stays lean.
///
///     swift run -c release --package-path Benchmarks ImagePreprocessing LIST.txt
let package = Package(
    name: "MKTBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "MKT", path: "..")],
    targets: [
        .executableTarget(
            name: "ImagePreprocessing",
            dependencies: [.product(name: "MKTImage", package: "MKT")],
            path: "ImagePreprocessing"),
    ],
    swiftLanguageModes: [.v6]
)
