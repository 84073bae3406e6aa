// swift-tools-version: 6.1
import PackageDescription

/// MKT: open-vocabulary multi-label image classification by multi-modal knowledge transfer.
///
/// Layering (see Docs/Architecture.md): C system libraries at the bottom, then the tensor core,
/// layers and optimizers, file formats and images, the CLIP teacher, the MKT student and trainer,
/// metrics, data, reports, pipelines, and the thin `mkt` command line on top.
let package = Package(
    name: "MKT",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mkt", targets: ["mkt"]),
        .library(name: "MKTRandom", targets: ["MKTRandom"]),
        .library(name: "MKTTensor", targets: ["MKTTensor"]),
        .library(name: "MKTNN", targets: ["MKTNN"]),
        .library(name: "MKTOptim", targets: ["MKTOptim"]),
        .library(name: "MKTFormats", targets: ["MKTFormats"]),
        .library(name: "MKTImage", targets: ["MKTImage"]),
        .library(name: "MKTTokenizer", targets: ["MKTTokenizer"]),
        .library(name: "MKTCLIP", targets: ["MKTCLIP"]),
        .library(name: "MKTMetrics", targets: ["MKTMetrics"]),
        .library(name: "MKTData", targets: ["MKTData"]),
        .library(name: "MKTStudent", targets: ["MKTStudent"]),
        .library(name: "MKTDistill", targets: ["MKTDistill"]),
        .library(name: "MKTReports", targets: ["MKTReports"]),
        .library(name: "MKTPipeline", targets: ["MKTPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    ],
    targets: [
        // C libraries, only here.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),
        // A small C shim that catches libpng's longjmp and libjpeg's error_exit.
        .target(name: "CImageCodecs", dependencies: ["CPNG", "CJPEG"], path: "Sources/CImageCodecs"),

        // Core.
        .target(name: "MKTRandom"),
        .target(name: "MKTTensor", dependencies: ["CBLAS", "MKTRandom"]),
        .target(name: "MKTFormats"),
        .target(name: "MKTNN", dependencies: ["MKTTensor", "MKTFormats"]),
        .target(name: "MKTOptim", dependencies: ["MKTNN"]),

        // Inputs.
        .target(name: "MKTImage", dependencies: ["CImageCodecs", "MKTRandom"]),
        .target(name: "MKTTokenizer", resources: [.copy("Resources/clip-bpe")]),

        // Models and method.
        .target(name: "MKTCLIP", dependencies: ["MKTNN", "MKTFormats", "MKTTokenizer", "MKTImage"]),
        .target(name: "MKTMetrics", dependencies: ["MKTRandom"]),
        .target(name: "MKTData", dependencies: ["MKTImage", "MKTFormats", "MKTRandom"]),
        .target(name: "MKTStudent", dependencies: ["MKTCLIP"]),
        .target(name: "MKTDistill",
                dependencies: ["MKTStudent", "MKTOptim", "MKTMetrics", "MKTData"]),

        // Outputs and composition.
        .target(name: "MKTReports",
                dependencies: ["MKTMetrics", .product(name: "Plot", package: "Plot")]),
        .target(name: "MKTPipeline",
                dependencies: ["MKTDistill", "MKTReports", "MKTData", "MKTMetrics", "MKTCLIP"]),

        // The command line: thin, over library code.
        .executableTarget(
            name: "mkt",
            dependencies: [
                "MKTPipeline", "MKTDistill", "MKTReports", "MKTData", "MKTMetrics", "MKTCLIP",
                "MKTImage", "MKTTokenizer", "MKTFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MKTTensorTests", dependencies: ["MKTTensor", "TestSupport"]),
        .testTarget(name: "MKTFormatsTests", dependencies: ["MKTFormats", "TestSupport"]),
        .testTarget(name: "MKTNNTests", dependencies: ["MKTNN", "TestSupport"]),
        .testTarget(name: "MKTOptimTests", dependencies: ["MKTOptim", "TestSupport"]),
        .testTarget(name: "MKTImageTests", dependencies: ["MKTImage", "MKTFormats", "TestSupport"]),
        .testTarget(name: "MKTTokenizerTests", dependencies: ["MKTTokenizer", "MKTFormats", "TestSupport"]),
        .testTarget(name: "MKTCLIPTests", dependencies: ["MKTCLIP", "TestSupport"]),
        .testTarget(name: "MKTMetricsTests", dependencies: ["MKTMetrics", "MKTFormats", "TestSupport"]),
        .testTarget(name: "MKTDataTests", dependencies: ["MKTData", "MKTFormats", "MKTImage", "TestSupport"]),
        .testTarget(name: "MKTStudentTests", dependencies: ["MKTStudent", "TestSupport"]),
        .testTarget(name: "MKTDistillTests", dependencies: ["MKTDistill", "TestSupport"]),
        .testTarget(name: "MKTReportsTests", dependencies: ["MKTReports", "MKTMetrics", "TestSupport"]),
        .testTarget(name: "MKTPipelineTests", dependencies: ["MKTPipeline", "TestSupport"]),
        .testTarget(name: "mktTests",
                    dependencies: ["mkt", "MKTDistill", "MKTCLIP",
                                   .product(name: "ArgumentParser", package: "swift-argument-parser")],
                    exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
