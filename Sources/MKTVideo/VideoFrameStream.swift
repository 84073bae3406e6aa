import Foundation
import MKTImage
import MKTSupport
import Synchronization

/// The sampled, preprocessed frames of a list of videos, decoded on a thread of their own ahead
/// of the consumer: while the model runs on one batch, the next ones are being decoded.
///
/// Each video (``Video``: a frame folder or a video file) gives the frames `sampling(n)` picks
/// from its n frames, each preprocessed as `mkt preprocess` does (``MKTImage/Preprocessor``);
/// the frames of all videos follow each other in list order and come in batches of at most
/// `batchSize` frames (a video's frames may span two batches). At most `depth` batches wait in
/// the queue, and one video is decoded at a time, so memory does not grow with the number of
/// videos.
///
/// The first video that fails stops the stream: ``next()`` throws its ``VideoError`` once the
/// batches before it have been taken.
///
/// ```swift
/// let stream = VideoFrameStream(paths: paths, preprocessor: Preprocessor(preset: .clip, size: 224),
///                               batchSize: 32) { n in FrameSampling.test(frameCount: n, segments: 8, clips: 1) }
/// while let batch = try stream.next() { … }                      // batch.pixels: [B, 3, S, S]
/// ```
public final class VideoFrameStream: Sendable {
    /// A batch of preprocessed frames.
    public struct Batch: Sendable {
        /// [count, 3, S, S] floats.
        public let pixels: [Float]
        /// The number of frames B.
        public let count: Int
    }

    private let state: StreamState

    /// Starts decoding.
    ///
    /// - Parameters:
    ///   - paths: The videos (frame folders or video files), in order.
    ///   - preprocessor: The per-frame transform (preset and size S).
    ///   - batchSize: Frames per batch (at least 1).
    ///   - depth: Batches decoded ahead (at least 1).
    ///   - imageDecoder: The decoder of frame-folder images.
    ///   - videoDecoder: The decoder of video files.
    ///   - frames: Only these frames of the stream (counted over all videos in order, from 0),
    ///     the batches starting at its first; `nil`: all. The videos are still decoded whole,
    ///     but frames outside the range are not preprocessed.
    ///   - sampling: n → the 0-based indices of the frames to use.
    public init(paths: [String], preprocessor: Preprocessor, batchSize: Int, depth: Int = 2,
                imageDecoder: ImageDecoder = ImageDecoder(), videoDecoder: VideoDecoder = VideoDecoder(),
                frames: Range<Int>? = nil, sampling: @escaping @Sendable (Int) -> [Int]) {
        let state = StreamState(depth: max(1, depth))
        self.state = state
        let producer = Producer(paths: paths, preprocessor: preprocessor, batchSize: max(1, batchSize),
                                imageDecoder: imageDecoder, videoDecoder: videoDecoder,
                                frames: frames ?? 0..<Int.max, sampling: sampling)
        let thread = Thread { producer.run(into: state) }
        thread.name = "mkt-video-decode"
        thread.start()
    }

    /// The next batch, or `nil` after the last.
    ///
    /// - Throws: the ``VideoError`` of the first video that failed.
    public func next() throws(VideoError) -> Batch? {
        switch state.take() {
        case .batch(let batch): return batch
        case .failure(let error): throw error
        case .end: return nil
        }
    }

    /// Stops decoding (the producer thread ends after its current frame).
    public func cancel() { state.stop() }

    deinit { state.stop() }
}

/// What the producer hands over.
private enum StreamItem: Sendable {
    case batch(VideoFrameStream.Batch)
    case failure(VideoError)
    case end
}

/// The bounded queue between the producer thread and the consumer.
private final class StreamState: Sendable {
    private let items = Mutex<[StreamItem]>([])
    private let filled = DispatchSemaphore(value: 0)
    private let free: DispatchSemaphore
    private let stopped = Atomic<Bool>(false)
    private let over = Atomic<Bool>(false)

    init(depth: Int) { free = DispatchSemaphore(value: depth) }

    var isStopped: Bool { stopped.load(ordering: .acquiring) }

    /// Waits for room, then queues `item`; false once stopped.
    func put(_ item: StreamItem) -> Bool {
        free.wait()
        guard !isStopped else { return false }
        items.withLock { $0.append(item) }
        filled.signal()
        return true
    }

    /// Waits for the next item; `.end` forever after the end or a failure.
    func take() -> StreamItem {
        if over.load(ordering: .acquiring) { return .end }
        filled.wait()
        let item = items.withLock { $0.removeFirst() }
        free.signal()
        switch item {
        case .batch: break
        case .failure, .end: over.store(true, ordering: .releasing)
        }
        return item
    }

    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        free.signal()
    }
}

/// The decoding side: videos in order, frames sampled and preprocessed into batches.
private struct Producer: Sendable {
    let paths: [String]
    let preprocessor: Preprocessor
    let batchSize: Int
    let imageDecoder: ImageDecoder
    let videoDecoder: VideoDecoder
    let frames: Range<Int>
    let sampling: @Sendable (Int) -> [Int]

    func run(into state: StreamState) {
        let stride = preprocessor.valuesPerImage
        var pixels = [Float](repeating: 0, count: batchSize * stride)
        var count = 0
        var position = 0                                           // frames of the stream so far
        do throws(VideoError) {
            for path in paths where position < frames.upperBound {
                guard !state.isStopped else { return }
                let video = try Video(path: path, imageDecoder: imageDecoder, videoDecoder: videoDecoder)
                for index in sampling(video.frameCount) {
                    position += 1
                    guard frames.contains(position - 1) else { continue }
                    let frame = try video.frame(at: index)
                    pixels.withUnsafeMutableBufferPointer { buffer in
                        preprocessor.preprocess(frame, into: UnsafeMutableBufferPointer(rebasing: buffer[(count * stride)...]))
                    }
                    count += 1
                    if count == batchSize {
                        guard state.put(.batch(VideoFrameStream.Batch(pixels: pixels, count: count))) else { return }
                        count = 0
                    }
                }
            }
            if count > 0 {
                guard state.put(.batch(VideoFrameStream.Batch(pixels: Array(pixels[..<(count * stride)]), count: count))) else { return }
            }
            _ = state.put(.end)
        } catch {
            _ = state.put(.failure(error))
        }
    }
}
