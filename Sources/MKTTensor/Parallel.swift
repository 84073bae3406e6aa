#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Splits loops over both cores when the work is large enough to pay for it.
///
/// These are the process's only compute threads: OpenBLAS runs single-threaded and large GEMMs
/// are split over the same workers (see ``BLAS``), so no thread pool spins while another works.
public enum Parallel {
    /// Work (in elements) below which loops stay on the calling thread.
    public static let grain = 1 << 15
    /// The number of workers used for large loops.
    public static let workers = max(1, min(8, System.coreCount))

    /// Calls `body(range)` over chunks covering `0..<count`, on several threads when
    /// `count * cost >= grain`.
    @inline(__always)
    public static func forEachChunk(_ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void) {
        if count * cost < grain || workers == 1 || count < 2 {
            body(0..<count)
            return
        }
        let chunks = min(workers, count)
        WorkerPool.shared.run(parts: chunks) { c in
            let lo = count * c / chunks
            let hi = count * (c + 1) / chunks
            if lo < hi { body(lo..<hi) }
        }
    }
}

/// Facts about the machine.
public enum System {
    /// Online processors.
    public static let coreCount: Int = {
        #if os(Linux)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return ProcessInfo.processInfo.activeProcessorCount
        #endif
    }()
}

/// Wraps a value whose cross-thread use is made safe by the caller (disjoint writes).
public struct UncheckedSendable<Value>: @unchecked Sendable {
    /// The wrapped value.
    public let value: Value
    /// Wraps `value`.
    public init(_ value: Value) { self.value = value }
}
