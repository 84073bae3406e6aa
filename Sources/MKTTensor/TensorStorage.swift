import Foundation

/// A 64-byte aligned buffer of `Float`s owned by one or more ``Tensor`` values.
///
/// Tensors share storage until one of them is mutated (copy-on-write, see
/// ``Tensor/withUnsafeMutableBufferPointer(_:)``). Buffers of 16 KiB and more come from, and go
/// back to, a ``BufferPool`` so that repeated forward passes do not page-fault fresh memory.
public final class TensorStorage: @unchecked Sendable {
    /// The first element.
    public let pointer: UnsafeMutablePointer<Float>
    /// The number of elements.
    public let count: Int
    private let capacity: Int
    /// Whether the buffer is a private mapping of its own (``init(zeroPages:)``), unmapped
    /// rather than pooled.
    private let isMapped: Bool

    /// Uninitialised storage for `count` elements.
    public init(count: Int) {
        self.count = count
        let (p, c) = BufferPool.shared.take(count)
        pointer = p
        capacity = c
        isMapped = false
    }

    /// Zeros on pages fresh from the OS, resident only once written (e.g. a model's weights that
    /// loading replaces, so the zeros of a model built to be loaded never take memory). Returned
    /// to the OS, not to the pool, when released. Below 64 KiB: zeroed pooled storage.
    public init(zeroPages count: Int) {
        self.count = count
        if count < BufferPool.shared.minimumPooled * 4 {      // under 64 KiB: pooled, zeroed
            (pointer, capacity) = BufferPool.shared.take(count)
            pointer.initialize(repeating: 0, count: count)
            isMapped = false
            return
        }
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        guard let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else {
            fatalError("out of memory mapping \(bytes) bytes")
        }
        pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
        capacity = Swift.max(count, 1)
        isMapped = true
    }

    /// Storage filled with `value`.
    public convenience init(repeating value: Float, count: Int) {
        self.init(count: count)
        pointer.initialize(repeating: value, count: count)
    }

    /// Storage holding a copy of `values`.
    public convenience init<C: Collection>(copying values: C) where C.Element == Float {
        self.init(count: values.count)
        var i = 0
        for v in values { pointer[i] = v; i += 1 }
    }

    deinit {
        if isMapped {
            munmap(pointer, capacity * MemoryLayout<Float>.stride)
        } else {
            BufferPool.shared.give(pointer, capacity: capacity)
        }
    }
}

/// A process-wide pool of aligned `Float` buffers, by size class (four classes per octave).
///
/// Small buffers are malloc'd and freed directly. Large buffers are kept after use (up to
/// ``limitBytes``) and handed out again for a request of the same size class; this avoids glibc
/// returning multi-megabyte blocks to the OS and the kernel zeroing fresh pages again on every
/// layer of every forward pass and every training step. The limit defaults to a quarter of the
/// machine's memory, so that a training step's whole working set (a stage-2 prompt step over 925
/// labels holds about 4 GiB) stays in the pool; set `MKT_BUFFER_POOL_MB` to change it.
public final class BufferPool: @unchecked Sendable {
    /// The pool used by ``TensorStorage``.
    public static let shared = BufferPool()

    private let lock = NSLock()
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var pooledBytes = 0
    /// Buffers smaller than this many elements are not pooled.
    let minimumPooled = 4096
    /// The most bytes kept idle in the pool.
    public var limitBytes = BufferPool.defaultLimitBytes

    /// `MKT_BUFFER_POOL_MB` if set, else a quarter of physical memory.
    public static var defaultLimitBytes: Int {
        if let text = ProcessInfo.processInfo.environment["MKT_BUFFER_POOL_MB"], let mb = Int(text), mb >= 0 {
            return mb << 20
        }
        return Int(ProcessInfo.processInfo.physicalMemory / 4)
    }

    /// `count` rounded up to the next of 1, 1.25, 1.5 or 1.75 times a power of two (at most 25%
    /// more than asked; whole powers of two would waste up to half of a block).
    public static func sizeClass(_ count: Int, minimumPooled: Int) -> Int {
        if count <= minimumPooled { return count }
        let shift = Int.bitWidth - (count - 1).leadingZeroBitCount - 3
        return (((count - 1) >> shift) + 1) << shift
    }

    private func sizeClass(_ count: Int) -> Int { Self.sizeClass(count, minimumPooled: minimumPooled) }

    func take(_ count: Int) -> (UnsafeMutablePointer<Float>, Int) {
        let capacity = sizeClass(max(count, 1))
        if capacity > minimumPooled {
            lock.lock()
            if var list = free[capacity], let p = list.popLast() {
                free[capacity] = list
                pooledBytes -= capacity * 4
                lock.unlock()
                return (p, capacity)
            }
            lock.unlock()
        }
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, capacity * MemoryLayout<Float>.stride) == 0, let raw else {
            fatalError("out of memory allocating \(capacity * 4) bytes")
        }
        return (raw.bindMemory(to: Float.self, capacity: capacity), capacity)
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        if capacity > minimumPooled {
            lock.lock()
            if pooledBytes + capacity * 4 <= limitBytes {
                free[capacity, default: []].append(pointer)
                pooledBytes += capacity * 4
                lock.unlock()
                return
            }
            lock.unlock()
        }
        Foundation.free(pointer)
    }

    /// Returns every idle buffer to the system.
    public func drain() {
        lock.lock()
        for (_, list) in free { for p in list { Foundation.free(p) } }
        free = [:]
        pooledBytes = 0
        lock.unlock()
    }
}
