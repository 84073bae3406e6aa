// swift-tools-version: 6.1
import PackageDescription

/// MKT: open-vocabulary multi-label image classification by multi-modal knowledge transfer.
///
/// Layering (see Docs/Architecture.md): C system libraries and the MKTSupport leaf at the bottom,
/// then the tensor core, layers and optimizers, file formats and images, the CLIP teacher, the
/// MKT student and trainer, metrics, data, reports, pipelines, and the thin `mkt` command line on
/// top. Every target's `dependencies` row lists exactly the modules its files import
/// (scripts/check_imports.py checks it; CI builds with the explicit import check).
let package = Package(
    name: "MKT",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mkt", targets: ["mkt"]),
        .library(name: "MKTSupport", targets: ["MKTSupport"]),
        .library(name: "MKTTensor", targets: ["MKTTensor"]),
        .library(name: "MKTNN", targets: ["MKTNN"]),
        .library(name: "MKTOptim", targets: ["MKTOptim"]),
        .library(name: "MKTFormats", targets: ["MKTFormats"]),
        .library(name: "MKTImage", targets: ["MKTImage"]),
        .library(name: "MKTTokenizer", targets: ["MKTTokenizer"]),
        .library(name: "MKTVideo", targets: ["MKTVideo"]),
        .library(name: "MKTCLIP", targets: ["MKTCLIP"]),
        .library(name: "MKTMetrics", targets: ["MKTMetrics"]),
        .library(name: "MKTData", targets: ["MKTData"]),
        .library(name: "MKTStudent", targets: ["MKTStudent"]),
        .library(name: "MKTDistributed", targets: ["MKTDistributed"]),
        .library(name: "MKTTraining", targets: ["MKTTraining"]),
        .library(name: "MKTDistill", targets: ["MKTDistill"]),
        .library(name: "MKTContrastive", targets: ["MKTContrastive"]),
        .library(name: "MKTAdapter", targets: ["MKTAdapter"]),
        .library(name: "MKTText4Vis", targets: ["MKTText4Vis"]),
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
        // oneDNN: the bf16 matmul of Precision.bf16.
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CWebP", path: "Sources/CWebP", pkgConfig: "libwebpdemux",
                       providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CTIFF", path: "Sources/CTIFF", pkgConfig: "libtiff-4",
                       providers: [.apt(["libtiff-dev"])]),
        // MPI: Open MPI by default (pkg-config `ompi`); `MKT_MPI_PKG_CONFIG=mpich swift build`
        // builds against MPICH (Docs/Distributed.md). The library comes from pkg-config alone.
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: Context.environment["MKT_MPI_PKG_CONFIG"] ?? "ompi",
                       providers: [.apt(["libopenmpi-dev"])]),
        // cpuid and xgetbv: the CPU's vendor, family, model and usable instruction sets.
        .target(name: "CCPUID", path: "Sources/CCPUID"),
        // The softmax and QuickGELU row kernels, compiled for AVX2 and for the baseline, picked
        // by the CPU's features (the same bits either way).
        .target(name: "CVectorKernels", path: "Sources/CVectorKernels"),
        // A small C shim that catches libpng's longjmp, libjpeg's error_exit and libtiff's
        // messages, with GIF and BMP decoders of its own.
        .target(name: "CImageCodecs", dependencies: ["CPNG", "CJPEG", "CWebP", "CTIFF"], path: "Sources/CImageCodecs"),
        .systemLibrary(name: "CFFmpeg", path: "Sources/CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])]),
        // A small C shim over FFmpeg: whole-file decoding with every failure a status and a
        // message, frames converted to RGB24 as PyAV does, and encoding RGB frames.
        .target(name: "CVideoCodecs", dependencies: ["CFFmpeg"], path: "Sources/CVideoCodecs",
                linkerSettings: [.linkedLibrary("avformat"), .linkedLibrary("avcodec"), .linkedLibrary("swscale"),
                                 .linkedLibrary("avutil")]),

        // Core.
        .target(name: "MKTSupport"),
        .target(name: "MKTTensor", dependencies: ["MKTSupport", "CBLAS", "CCPUID", "CDNNL", "CVectorKernels"]),
        .target(name: "MKTFormats", dependencies: ["MKTSupport"]),
        .target(name: "MKTNN", dependencies: ["MKTFormats", "MKTTensor", "MKTSupport"]),
        .target(name: "MKTOptim", dependencies: ["MKTNN", "MKTFormats", "MKTTensor"]),
        .target(name: "MKTDistributed", dependencies: ["MKTSupport", "CMPI"]),

        // Inputs.
        .target(name: "MKTImage", dependencies: ["MKTSupport", "CImageCodecs"]),
        .target(name: "MKTTokenizer", dependencies: ["MKTSupport"], resources: [.copy("Resources/clip-bpe")]),
        .target(name: "MKTVideo", dependencies: ["MKTImage", "MKTSupport", "CVideoCodecs"]),

        // Models and method.
        .target(name: "MKTCLIP",
                dependencies: ["MKTTokenizer", "MKTNN", "MKTFormats", "MKTTensor", "MKTSupport"]),
        .target(name: "MKTMetrics", dependencies: ["MKTSupport"]),
        .target(name: "MKTData", dependencies: ["MKTVideo", "MKTImage", "MKTFormats", "MKTTensor", "MKTSupport"]),
        .target(name: "MKTStudent",
                dependencies: ["MKTCLIP", "MKTNN", "MKTFormats", "MKTTensor", "MKTSupport"]),

        // Training: the one loop, and the methods' trainers.
        .target(name: "MKTTraining",
                dependencies: ["MKTDistributed", "MKTOptim", "MKTNN", "MKTFormats", "MKTTensor", "MKTSupport"]),
        .target(name: "MKTDistill",
                dependencies: ["MKTTraining", "MKTDistributed", "MKTStudent", "MKTData", "MKTMetrics", "MKTCLIP", "MKTTokenizer", "MKTOptim",
                               "MKTNN", "MKTFormats", "MKTTensor", "MKTSupport"]),
        .target(name: "MKTContrastive",
                dependencies: ["MKTTraining", "MKTDistributed", "MKTData", "MKTCLIP", "MKTTokenizer", "MKTOptim", "MKTNN", "MKTTensor",
                               "MKTSupport"]),
        .target(name: "MKTAdapter",
                dependencies: ["MKTTraining", "MKTData", "MKTCLIP", "MKTOptim", "MKTNN", "MKTFormats", "MKTTensor",
                               "MKTSupport"]),
        .target(name: "MKTText4Vis",
                dependencies: ["MKTTraining", "MKTDistributed", "MKTData", "MKTMetrics", "MKTCLIP", "MKTTokenizer", "MKTOptim", "MKTNN",
                               "MKTVideo", "MKTImage", "MKTFormats", "MKTTensor", "MKTSupport"]),

        // Outputs and composition.
        .target(name: "MKTReports",
                dependencies: ["MKTMetrics", "MKTSupport", .product(name: "Plot", package: "Plot")]),
        .target(name: "MKTPipeline",
                dependencies: ["MKTReports", "MKTText4Vis", "MKTAdapter", "MKTContrastive", "MKTDistill", "MKTTraining",
                               "MKTDistributed", "MKTStudent", "MKTData", "MKTMetrics", "MKTCLIP", "MKTTokenizer", "MKTImage",
                               "MKTFormats", "MKTTensor", "MKTSupport"]),

        // The command line: thin, over library code.
        .executableTarget(
            name: "mkt",
            dependencies: [
                "MKTPipeline", "MKTReports", "MKTText4Vis", "MKTAdapter", "MKTContrastive", "MKTDistill", "MKTTraining",
                "MKTStudent", "MKTData", "MKTMetrics", "MKTCLIP", "MKTTokenizer", "MKTVideo", "MKTImage", "MKTDistributed",
                "MKTNN", "MKTFormats", "MKTTensor", "MKTSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // The documentation's examples (README.md, Docs/CLIP.md, Docs/Pipelines.md, the MKTPipeline
        // articles): compiled with the package so that they cannot rot; scripts/check_examples.py
        // checks that the documents show exactly this code.
        .executableTarget(name: "example-readme",
                          dependencies: ["MKTCLIP", "MKTData", "MKTDistill", "MKTFormats", "MKTStudent", "MKTTokenizer"],
                          path: "Examples/readme"),
        .executableTarget(name: "my-benchmark", dependencies: ["MKTData", "MKTPipeline", "MKTSupport", "MKTTensor"],
                          path: "Examples/my-benchmark"),

        // Tests.
        .target(name: "TestSupport", dependencies: ["MKTSupport", "MKTTensor"], path: "Tests/TestSupport"),
        .testTarget(name: "MKTSupportTests", dependencies: ["MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTTensorTests", dependencies: ["MKTTensor", "MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTFormatsTests", dependencies: ["MKTFormats", "MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTNNTests", dependencies: ["MKTNN", "MKTFormats", "MKTTensor", "MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTOptimTests", dependencies: ["MKTOptim", "MKTNN", "MKTTensor", "TestSupport"]),
        .testTarget(name: "MKTImageTests", dependencies: ["MKTImage", "MKTFormats", "MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTVideoTests", dependencies: ["MKTVideo", "MKTImage", "MKTFormats", "MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTTokenizerTests", dependencies: ["MKTTokenizer", "MKTFormats", "TestSupport"]),
        .testTarget(name: "MKTCLIPTests",
                    dependencies: ["MKTCLIP", "MKTNN", "MKTFormats", "MKTTensor", "MKTTokenizer", "TestSupport"]),
        .testTarget(name: "MKTMetricsTests", dependencies: ["MKTMetrics", "MKTFormats", "MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTDataTests", dependencies: ["MKTData", "MKTImage", "MKTFormats", "TestSupport"]),
        .testTarget(name: "MKTStudentTests",
                    dependencies: ["MKTStudent", "MKTCLIP", "MKTNN", "MKTFormats", "MKTTensor", "MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTDistributedTests", dependencies: ["MKTDistributed", "MKTSupport"]),
        .testTarget(name: "MKTTrainingTests",
                    dependencies: ["MKTTraining", "MKTOptim", "MKTNN", "MKTTensor", "MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTDistillTests",
                    dependencies: ["MKTDistill", "MKTTraining", "MKTStudent", "MKTData", "MKTMetrics", "MKTCLIP",
                                   "MKTTokenizer", "MKTImage", "MKTNN", "MKTFormats", "MKTTensor", "MKTSupport",
                                   "TestSupport"]),
        .testTarget(name: "MKTContrastiveTests",
                    dependencies: ["MKTContrastive", "MKTTraining", "MKTData", "MKTCLIP", "MKTTokenizer", "MKTTensor",
                                   "TestSupport"]),
        .testTarget(name: "MKTAdapterTests",
                    dependencies: ["MKTAdapter", "MKTTraining", "MKTData", "MKTCLIP", "MKTNN", "MKTFormats", "MKTTensor",
                                   "MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTText4VisTests",
                    dependencies: ["MKTText4Vis", "MKTTraining", "MKTMetrics", "MKTData", "MKTCLIP", "MKTVideo", "MKTImage", "MKTNN",
                                   "MKTFormats", "MKTTensor", "MKTSupport", "TestSupport"]),
        .testTarget(name: "MKTReportsTests", dependencies: ["MKTReports", "MKTMetrics", "TestSupport"]),
        .testTarget(name: "MKTPipelineTests",
                    dependencies: ["MKTPipeline", "MKTDistill", "MKTData", "MKTCLIP", "MKTImage", "MKTFormats", "MKTTensor",
                                   "MKTSupport", "TestSupport", "my-benchmark"]),
        .testTarget(name: "mktTests",
                    dependencies: ["mkt", "MKTContrastive", "MKTDistill", "MKTCLIP", "MKTTensor",
                                   .product(name: "ArgumentParser", package: "swift-argument-parser")],
                    exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
