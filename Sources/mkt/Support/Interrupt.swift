import Foundation
import Synchronization

/// Ctrl-C during training: the first interrupt asks the loop to stop at the next step (after
/// writing its checkpoint); a second one ends the process at once.
enum Interrupt {
    static let requested = Atomic<Bool>(false)

    /// Installs the SIGINT handler.
    static func install() {
        signal(SIGINT) { _ in
            Interrupt.requested.store(true, ordering: .relaxed)
            signal(SIGINT, SIG_DFL)
        }
    }

    static var isRequested: Bool { requested.load(ordering: .relaxed) }
}
