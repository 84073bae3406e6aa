import CCPUID

/// The processor this process runs on, as `cpuid` reports it: what GEMM kernels are chosen from.
public struct CPUDescription: Sendable, Equatable {
    /// Instruction sets the CPU has and the operating system enables.
    public struct Features: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let sse3 = Features(rawValue: UInt32(MKT_CPU_SSE3))
        public static let ssse3 = Features(rawValue: UInt32(MKT_CPU_SSSE3))
        public static let sse41 = Features(rawValue: UInt32(MKT_CPU_SSE41))
        public static let sse42 = Features(rawValue: UInt32(MKT_CPU_SSE42))
        public static let avx = Features(rawValue: UInt32(MKT_CPU_AVX))
        public static let fma = Features(rawValue: UInt32(MKT_CPU_FMA))
        public static let avx2 = Features(rawValue: UInt32(MKT_CPU_AVX2))
        public static let avx512f = Features(rawValue: UInt32(MKT_CPU_AVX512F))
        public static let avx512dq = Features(rawValue: UInt32(MKT_CPU_AVX512DQ))
        public static let avx512bw = Features(rawValue: UInt32(MKT_CPU_AVX512BW))
        public static let avx512vl = Features(rawValue: UInt32(MKT_CPU_AVX512VL))
        public static let avx512vnni = Features(rawValue: UInt32(MKT_CPU_AVX512VNNI))
        public static let avx512bf16 = Features(rawValue: UInt32(MKT_CPU_AVX512BF16))
        public static let avx512fp16 = Features(rawValue: UInt32(MKT_CPU_AVX512FP16))
        public static let amxTile = Features(rawValue: UInt32(MKT_CPU_AMXTILE))
        public static let amxBF16 = Features(rawValue: UInt32(MKT_CPU_AMXBF16))
        public static let amxInt8 = Features(rawValue: UInt32(MKT_CPU_AMXINT8))

        /// The features with their usual lower-case names, in this order.
        public static let named: [(Features, String)] = [
            (.sse3, "sse3"), (.ssse3, "ssse3"), (.sse41, "sse4.1"), (.sse42, "sse4.2"), (.avx, "avx"), (.fma, "fma"),
            (.avx2, "avx2"), (.avx512f, "avx512f"), (.avx512dq, "avx512dq"), (.avx512bw, "avx512bw"),
            (.avx512vl, "avx512vl"), (.avx512vnni, "avx512vnni"), (.avx512bf16, "avx512bf16"),
            (.avx512fp16, "avx512fp16"), (.amxTile, "amx-tile"), (.amxBF16, "amx-bf16"), (.amxInt8, "amx-int8"),
        ]

        /// The names of the features present, space-separated.
        public var names: String { Self.named.filter { contains($0.0) }.map(\.1).joined(separator: " ") }
    }

    /// `GenuineIntel`, `AuthenticAMD`, ... (empty off x86-64).
    public var vendor: String
    /// The display family (base plus extended family).
    public var family: Int
    /// The display model (with the extended model).
    public var model: Int
    /// The brand string, e.g. `AMD EPYC 9R14 96-Core Processor`.
    public var brand: String
    /// The instruction sets usable here.
    public var features: Features

    /// A description from its parts (tables of known CPUs in tests, or this machine's).
    public init(vendor: String, family: Int, model: Int, brand: String = "", features: Features) {
        self.vendor = vendor
        self.family = family
        self.model = model
        self.brand = brand
        self.features = features
    }

    /// This machine's CPU.
    public static let current: CPUDescription = {
        var info = mkt_cpu_info()
        _ = mkt_cpu_identify(&info)
        func text<T>(_ tuple: T) -> String {
            withUnsafeBytes(of: tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return CPUDescription(vendor: text(info.vendor), family: Int(info.family), model: Int(info.model),
                              brand: text(info.brand), features: Features(rawValue: info.features))
    }()

    /// One line: brand, vendor, family, model and features.
    public var summary: String {
        let name = brand.isEmpty ? "unknown CPU" : brand
        return "\(name) (\(vendor) family \(family) model \(model)); \(features.names)"
    }
}
