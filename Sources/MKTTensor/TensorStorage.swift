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

    /// Uninitialised storage for `count` elements.
    public init(count: Int) {
        self.count = count
        let (p, c) = BufferPool.shared.take(count)
        pointer = p
        capacity = c
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
        BufferPool.shared.give(pointer, capacity: capacity)
    }
}

/// A process-wide pool of aligned `Float` buffers, by power-of-two size class.
///
/// Small buffers are malloc'd and freed directly. Large buffers are kept after use (up to a
/// bounded number of bytes) and handed out again for a request of the same size class; this
/// avoids glibc returning multi-megabyte blocks to the OS and faulting them in again on every
/// layer of every forward pass.
public final class BufferPool: @unchecked Sendable {
    /// The pool used by ``TensorStorage``.
    public static let shared = BufferPool()

    private let lock = NSLock()
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var pooledBytes = 0
    /// Buffers smaller than this many elements are not pooled.
    let minimumPooled = 4096
    /// The most bytes kept idle in the pool.
    public var limitBytes = 2 << 30

    private func sizeClass(_ count: Int) -> Int {
        count <= minimumPooled ? count : 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount)
    }

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
