import Foundation

extension ProfileCommand {
    /// Runs driven from stdin, for a driver that alternates our runs with a reference's.
    ///
    /// Protocol (one line each): this process prints `ready` after set-up and warm-up; then for
    /// every line it reads it runs the workload once and prints `time SECONDS` (per repetition
    /// with `--inner`); it returns at end of input. Each line is flushed at once.
    func serveRuns(_ work: () -> Void, repetitions: Int) {
        emit("ready")
        while readLine() != nil {
            let start = DispatchTime.now().uptimeNanoseconds
            work()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(repetitions)
            emit("time \(seconds)")
        }
    }

    private func emit(_ line: String) {
        print(line)
        fflush(nil)  // all C streams, stdout among them
    }
}
