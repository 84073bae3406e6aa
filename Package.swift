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
        .library(name: "MKTTraining", targets: ["MKTTraining"]),
        .library(name: "MKTDistill", targets: ["MKTDistill"]),
        .library(name: "MKTContrastive", targets: ["MKTContrastive"]),
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
        .target(name: "MKTCLIP", dependencies: ["MKTNN", "MKTFormats", "MKTTokenizer"]),
        .target(name: "MKTMetrics", dependencies: ["MKTRandom"]),
        .target(name: "MKTData", dependencies: ["MKTImage", "MKTFormats", "MKTRandom", "MKTTensor"]),
        .target(name: "MKTStudent", dependencies: ["MKTCLIP"]),

        // Training: the one loop, and the methods' trainers.
        .target(name: "MKTTraining", dependencies: ["MKTNN", "MKTOptim", "MKTTensor", "MKTFormats", "MKTRandom"]),
        .target(name: "MKTDistill",
                dependencies: ["MKTStudent", "MKTCLIP", "MKTData", "MKTFormats", "MKTNN", "MKTOptim", "MKTTensor",
                               "MKTTraining"]),
        .target(name: "MKTContrastive",
                dependencies: ["MKTCLIP", "MKTData", "MKTNN", "MKTOptim", "MKTTensor", "MKTTokenizer", "MKTTraining"]),

        // Outputs and composition.
        .target(name: "MKTReports",
                dependencies: ["MKTMetrics", .product(name: "Plot", package: "Plot")]),
        .target(name: "MKTPipeline",
                dependencies: ["MKTDistill", "MKTContrastive", "MKTTraining", "MKTReports", "MKTData", "MKTMetrics",
                               "MKTCLIP", "MKTNN"]),

        // The command line: thin, over library code.
        .executableTarget(
            name: "mkt",
            dependencies: [
                "MKTPipeline", "MKTDistill", "MKTContrastive", "MKTTraining", "MKTReports", "MKTData", "MKTMetrics", "MKTCLIP",
                "MKTImage", "MKTTokenizer", "MKTFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // The documentation's examples (README.md, Docs/CLIP.md, Docs/Pipelines.md, the MKTPipeline
        // articles): compiled with the package so that they cannot rot; scripts/check_examples.py
        // checks that the documents show exactly this code.
        .executableTarget(name: "example-readme",
                          dependencies: ["MKTCLIP", "MKTData", "MKTDistill", "MKTFormats", "MKTStudent", "MKTTokenizer"],
                          path: "Examples/readme"),
        .executableTarget(name: "my-benchmark", dependencies: ["MKTData", "MKTPipeline", "MKTTensor"],
                          path: "Examples/my-benchmark"),

        // Tests.
        .target(name: "TestSupport", dependencies: ["MKTTensor"], path: "Tests/TestSupport"),
        .testTarget(name: "MKTTensorTests", dependencies: ["MKTTensor", "TestSupport"]),
        .testTarget(name: "MKTFormatsTests", dependencies: ["MKTFormats", "TestSupport"]),
        .testTarget(name: "MKTNNTests", dependencies: ["MKTNN", "TestSupport"]),
        .testTarget(name: "MKTOptimTests", dependencies: ["MKTOptim", "TestSupport"]),
        .testTarget(name: "MKTImageTests", dependencies: ["MKTImage", "MKTFormats", "TestSupport"]),
        .testTarget(name: "MKTTokenizerTests", dependencies: ["MKTTokenizer", "MKTFormats", "TestSupport"]),
        .testTarget(name: "MKTCLIPTests", dependencies: ["MKTCLIP", "MKTTokenizer", "TestSupport"]),
        .testTarget(name: "MKTMetricsTests", dependencies: ["MKTMetrics", "MKTFormats", "TestSupport"]),
        .testTarget(name: "MKTDataTests", dependencies: ["MKTData", "MKTFormats", "MKTImage", "TestSupport"]),
        .testTarget(name: "MKTStudentTests", dependencies: ["MKTStudent", "TestSupport"]),
        .testTarget(name: "MKTTrainingTests",
                    dependencies: ["MKTTraining", "MKTNN", "MKTOptim", "MKTRandom", "MKTTensor", "TestSupport"]),
        .testTarget(name: "MKTDistillTests", dependencies: ["MKTDistill", "MKTTraining", "MKTData", "TestSupport"]),
        .testTarget(name: "MKTContrastiveTests", dependencies: ["MKTContrastive", "MKTTraining", "MKTData", "MKTCLIP", "TestSupport"]),
        .testTarget(name: "MKTReportsTests", dependencies: ["MKTReports", "MKTMetrics", "TestSupport"]),
        .testTarget(name: "MKTPipelineTests",
                    dependencies: ["MKTPipeline", "MKTData", "MKTCLIP", "MKTImage", "TestSupport", "my-benchmark"]),
    ],
    swiftLanguageModes: [.v6]
)
