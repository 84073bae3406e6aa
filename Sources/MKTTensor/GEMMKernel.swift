/// The GEMM kernels a CPU should run, chosen from its feature flags alone (never from a table of
/// CPU models, so a CPU newer than our libraries is served by what it can do).
public enum GEMMKernel {
    /// The widest vector instructions a kernel uses, in increasing order of speed.
    public enum Class: Int, Comparable, Sendable, CustomStringConvertible {
        /// SSE2/SSE3 (OpenBLAS's Prescott, Core2, Nehalem, ... kernels).
        case sse
        /// AVX without FMA (SandyBridge, Bulldozer, ...).
        case avx
        /// AVX2 with FMA (Haswell, Zen).
        case avx2
        /// AVX-512 F/BW/DQ/VL (SkylakeX).
        case avx512
        /// AVX-512 with the BF16 dot products (Cooperlake, SapphireRapids).
        case avx512bf16

        public static func < (a: Class, b: Class) -> Bool { a.rawValue < b.rawValue }

        public var description: String {
            switch self {
            case .sse: "SSE"
            case .avx: "AVX"
            case .avx2: "AVX2/FMA"
            case .avx512: "AVX-512"
            case .avx512bf16: "AVX-512 BF16"
            }
        }
    }

    /// The best kernel class `features` allow.
    public static func bestClass(_ features: CPUDescription.Features) -> Class {
        let avx512: CPUDescription.Features = [.avx512f, .avx512dq, .avx512bw, .avx512vl]
        if features.isSuperset(of: avx512) {
            return features.contains(.avx512bf16) || features.contains(.amxBF16) ? .avx512bf16 : .avx512
        }
        if features.isSuperset(of: [.avx2, .fma]) { return .avx2 }
        if features.contains(.avx) { return .avx }
        return .sse
    }

    /// OpenBLAS core types to try for `cpu`, best first: the kernels of its feature class, then
    /// the classes below (an older OpenBLAS may not have the newest core type). Empty when the
    /// CPU has no more than SSE: OpenBLAS's own choice is then as good as any.
    ///
    /// A pure function of the description, so that it is tested on CPUs other than this one. The
    /// vendor matters only to name the AVX2 kernels (`Zen` and `Haswell` are the same kernels
    /// with different block sizes); family and model play no part.
    public static func openBLASCoreTypes(for cpu: CPUDescription) -> [String] {
        let avx2 = cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine" ? ["Zen", "Haswell"] : ["Haswell"]
        switch bestClass(cpu.features) {
        case .avx512bf16: return ["Cooperlake", "SkylakeX"] + avx2
        case .avx512: return ["SkylakeX"] + avx2
        case .avx2: return avx2
        case .avx, .sse: return []
        }
    }

    /// The class of an OpenBLAS core type as `openblas_get_corename()` reports it (nil: unknown).
    public static func openBLASClass(ofCore name: String) -> Class? {
        switch name.lowercased() {
        case "cooperlake", "sapphirerapids": .avx512bf16
        case "skylakex": .avx512
        case "haswell", "zen": .avx2
        case "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator": .avx
        case "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "nano", "opteron", "opteron_sse3",
             "barcelona", "bobcat", "katmai", "coppermine", "northwood", "banias", "athlon", "unknown":
            .sse
        default: nil
        }
    }
}
