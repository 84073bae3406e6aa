import Foundation

/// A count-based progress line on stderr (redrawn on a terminal, at most one line a second
/// otherwise).
final class LineProgress: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var last = Date.distantPast
    private let started = Date()

    init(label: String, total: Int) {
        self.label = label
        self.total = total
    }

    func update(_ done: Int) {
        let now = Date()
        guard done == total || now.timeIntervalSince(last) >= (isTerminal ? 0.1 : 1) else { return }
        last = now
        let rate = Double(done) / max(now.timeIntervalSince(started), 1e-9)
        let line = String(format: "%@: %d/%d (%.1f/s)", label, done, total, rate)
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)\(done == total ? "\n" : "")".utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
