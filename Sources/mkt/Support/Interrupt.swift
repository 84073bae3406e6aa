import ArgumentParser
import Dispatch
import Foundation
import MKTSupport
import Synchronization

/// Signals (SIGINT, SIGTERM, SIGHUP). While a training loop or a pipeline runs, the first signal
/// asks it to stop at the next step (after writing its checkpoint) and the command then exits
/// with 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP); otherwise,
/// and on a second signal, the process removes its temporary files (``TemporaryFiles``) and
/// exits at once with that status.
///
/// The signals are received on a dispatch queue, not in a signal handler, so the clean-up runs
/// even while the main thread is blocked (reading a pipe, computing).
enum Interrupt {
    /// The signal that asked a loop to stop; 0 while none has.
    private static let requested = Atomic<Int32>(0)
    /// Whether a training loop or pipeline that stops at a checkpoint is running.
    private static let stoppable = Atomic<Bool>(false)
    private static let sources = Mutex<[DispatchSourceSignal]>([])

    /// The signals handled.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers (once; later calls do nothing).
    static func install() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for number in signals {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { received(number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// From now on the first signal asks the running loop to stop instead of ending the process.
    static func allowStopping() { stoppable.store(true, ordering: .relaxed) }

    /// Whether a signal asked the running loop to stop.
    static var isRequested: Bool { requested.load(ordering: .relaxed) != 0 }

    /// Ends the command with 128 + the signal's number when a signal stopped its loop.
    /// - Throws: `ExitCode` (no message: the loop's own line said what was kept).
    static func exitIfRequested() throws {
        let number = requested.load(ordering: .relaxed)
        if number != 0 { throw ExitCode(128 + number) }
    }

    private static func received(_ number: Int32) {
        if stoppable.load(ordering: .relaxed), requested.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged {
            return
        }
        TemporaryFiles.removeAll()
        FileHandle.standardError.write(Data("mkt: stopped by signal \(number); temporary files removed\n".utf8))
        _exit(128 + number)
    }
}
