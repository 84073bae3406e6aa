import CBLAS

/// The GEMM library in use and the kernels it runs, corrected at start-up to the best this CPU's
/// features allow.
///
/// OpenBLAS (a `DYNAMIC_ARCH` build, as Linux distributions ship it) chooses its kernels in a
/// library constructor, before `main`, from a table of CPU models; on a CPU newer than the table
/// it falls back to its SSE3 `Prescott` kernels, several times slower. The first GEMM of the
/// process (or the first read of ``current``) compares that choice with
/// ``GEMMKernel/openBLASCoreTypes(for:)`` and, when the library's kernels are of a lower class,
/// re-initialises it with the better core type (`gotoblas_dynamic_init`, as if
/// `OPENBLAS_CORETYPE` had been set before start-up).
public struct GEMMBackend: Sendable, Equatable {
    /// The CPU the choice was made for.
    public var cpu: CPUDescription
    /// The library, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake SINGLE_THREADED`.
    public var library: String
    /// The kernels in use (OpenBLAS's core type).
    public var kernel: String
    /// The kernels the library had chosen itself.
    public var libraryChoice: String
    /// The class of ``kernel`` (nil: a core type this code does not know).
    public var kernelClass: GEMMKernel.Class? { GEMMKernel.openBLASClass(ofCore: kernel) }
    /// Whether the library's own choice was replaced.
    public var corrected: Bool { kernel != libraryChoice }

    /// The backend of this process, corrected once. Reading it from code that holds ``BLAS/lock``
    /// is safe (it does not take the lock); no GEMM runs while it is first computed, since every
    /// GEMM reads it first while holding the lock.
    public static let current: GEMMBackend = correct()

    /// One line: library, kernel and its class, and the library's own choice when it was replaced.
    public var summary: String {
        let name = kernelClass.map { "\(kernel) (\($0))" } ?? kernel
        return "\(library.split(separator: " ").prefix(2).joined(separator: " ")), kernel \(name)"
            + (corrected ? "; the library chose \(libraryChoice), replaced by features" : "")
    }

    /// OpenBLAS's core type now.
    static var coreName: String { String(cString: openblas_get_corename()) }

    /// Makes OpenBLAS use the best core type `cpu` allows when its own choice is of a lower class,
    /// and describes the result. No GEMM may run meanwhile.
    static func correct(for cpu: CPUDescription = .current) -> GEMMBackend {
        let chosen = coreName
        let current = GEMMKernel.openBLASClass(ofCore: chosen) ?? .sse
        for candidate in GEMMKernel.openBLASCoreTypes(for: cpu) {
            guard let better = GEMMKernel.openBLASClass(ofCore: candidate), better > current else { break }
            if selectCore(candidate) && coreName.lowercased() == candidate.lowercased() { break }
            _ = selectCore(chosen)   // not in this build: back to the library's choice, try the next
        }
        return GEMMBackend(cpu: cpu, library: String(cString: openblas_get_config()), kernel: coreName,
                           libraryChoice: chosen)
    }

    /// Re-initialises OpenBLAS with core type `name`; false when the library cannot change its
    /// kernels. No GEMM may run meanwhile (hold ``BLAS/lock``).
    static func selectCore(_ name: String) -> Bool {
        mkt_openblas_select_core(name) == 0
    }
}
