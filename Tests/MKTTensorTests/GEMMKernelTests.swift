import MKTSupport
@testable import MKTTensor
import Testing

/// Kernel selection by feature flags: a table of CPUs (this one need not be among them), and the
/// correction working on this machine.
@Suite struct GEMMKernelTests {
    typealias F = CPUDescription.Features
    static let sse: F = [.sse3, .ssse3, .sse41, .sse42]
    static let avx2: F = sse.union([.avx, .fma, .avx2])
    static let avx512: F = avx2.union([.avx512f, .avx512dq, .avx512bw, .avx512vl, .avx512vnni])

    /// (CPU, the core types to try, best first).
    static let table: [(CPUDescription, [String])] = [
        // AMD EPYC Zen 4 (Genoa): Debian's OpenBLAS 0.3.21 knows it and picks Cooperlake.
        (CPUDescription(vendor: "AuthenticAMD", family: 25, model: 17, features: avx512.union(.avx512bf16)),
         ["Cooperlake", "SkylakeX", "Zen", "Haswell"]),
        // Intel Xeon Emerald Rapids: the same OpenBLAS does not know model 207 and picks Prescott.
        (CPUDescription(vendor: "GenuineIntel", family: 6, model: 207,
                        features: avx512.union([.avx512bf16, .avx512fp16, .amxTile, .amxBF16, .amxInt8])),
         ["Cooperlake", "SkylakeX", "Haswell"]),
        // Intel Skylake-SP: AVX-512 without BF16.
        (CPUDescription(vendor: "GenuineIntel", family: 6, model: 85, features: avx512), ["SkylakeX", "Haswell"]),
        // AMD Zen 3: AVX2.
        (CPUDescription(vendor: "AuthenticAMD", family: 25, model: 1, features: avx2), ["Zen", "Haswell"]),
        // Intel Haswell.
        (CPUDescription(vendor: "GenuineIntel", family: 6, model: 63, features: avx2), ["Haswell"]),
        // Sandy Bridge (AVX, no FMA) and an SSE-only CPU: OpenBLAS's own choice stands.
        (CPUDescription(vendor: "GenuineIntel", family: 6, model: 42, features: sse.union(.avx)), []),
        (CPUDescription(vendor: "GenuineIntel", family: 6, model: 23, features: sse), []),
        // A model no table knows yet: the features decide.
        (CPUDescription(vendor: "GenuineIntel", family: 6, model: 250, features: avx512), ["SkylakeX", "Haswell"]),
        // An AVX2 CPU whose OS does not save the AVX-512 state reports no AVX-512 features.
        (CPUDescription(vendor: "GenuineIntel", family: 6, model: 143, features: avx2.union(.avx512vnni)), ["Haswell"]),
    ]

    @Test func theTableOfCPUs() {
        for (cpu, expected) in Self.table {
            #expect(GEMMKernel.openBLASCoreTypes(for: cpu) == expected, "\(cpu.vendor) \(cpu.family)/\(cpu.model)")
        }
    }

    @Test func familyAndModelPlayNoPart() {
        for (cpu, expected) in Self.table {
            var other = cpu
            other.family += 1
            other.model = 255 - cpu.model
            #expect(GEMMKernel.openBLASCoreTypes(for: other) == expected)
        }
    }

    @Test func everyCandidateIsOfTheClassItStandsFor() {
        for (cpu, cores) in Self.table {
            let best = GEMMKernel.bestClass(cpu.features)
            if let first = cores.first { #expect(GEMMKernel.openBLASClass(ofCore: first) == best) }
            #expect(cores.allSatisfy { GEMMKernel.openBLASClass(ofCore: $0).map { $0 >= .avx2 } ?? false })
        }
        #expect(GEMMKernel.openBLASClass(ofCore: "Prescott") == .sse)
        #expect(GEMMKernel.openBLASClass(ofCore: "PRESCOTT") == .sse)
        #expect(GEMMKernel.openBLASClass(ofCore: "NoSuchCore") == nil)
    }

    /// Fails when an AVX2-capable machine runs SSE kernels (the silent fallback this prevents).
    @Test func thisMachineRunsKernelsOfItsClass() {
        let backend = GEMMBackend.current
        let best = GEMMKernel.bestClass(backend.cpu.features)
        if best >= .avx2 {
            let kernel = backend.kernelClass ?? .sse
            #expect(kernel >= .avx2, "\(backend.summary) on \(backend.cpu.summary)")
        }
    }

    /// The mechanism on this machine: force OpenBLAS onto its SSE3 Prescott kernels (what it
    /// picks on a CPU it does not know), then the start-up correction puts it back on kernels of
    /// the CPU's class, and GEMMs still compute the same product.
    @Test func aForcedPrescottIsCorrected() {
        let cpu = CPUDescription.current
        guard GEMMKernel.bestClass(cpu.features) >= .avx2 else { return }
        let a = Tensor(shape: [64, 48], scalars: (0..<(64 * 48)).map { Float($0 % 13) - 6 })
        let b = Tensor(shape: [48, 40], scalars: (0..<(48 * 40)).map { Float($0 % 7) - 3 })
        let expected = a.matmul(b)
        let initial = GEMMBackend.current.kernel
        BLAS.lock.lock()
        defer {
            _ = GEMMBackend.selectCore(initial)
            BLAS.lock.unlock()
        }
        guard GEMMBackend.selectCore("Prescott") else { return }   // a single-CPU OpenBLAS build
        #expect(GEMMBackend.coreName == "Prescott")
        let corrected = GEMMBackend.correct(for: cpu)
        #expect(corrected.libraryChoice == "Prescott")
        #expect(corrected.corrected)
        #expect((corrected.kernelClass ?? .sse) >= .avx2)
        #expect(GEMMKernel.openBLASCoreTypes(for: cpu).first.map { $0 == corrected.kernel } ?? false)
        var c = [Float](repeating: 0, count: 64 * 40)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                BLAS.sgemm(false, false, m: 64, n: 40, k: 48, pa.baseAddress!, lda: 48, pb.baseAddress!, ldb: 40,
                           &c, ldc: 40)
            }
        }
        #expect(c == expected.scalars)
    }
}
